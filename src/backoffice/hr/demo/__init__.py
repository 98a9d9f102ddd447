"""HR demo data (coordinated here): people for the demo company, then each area's
``hr.demo_<area>.demo(company=, employees=, rng=, fake=)`` when it exists."""

from backoffice.hr.demo.people import demo_step

__all__ = ["demo_step"]

"""Platform registrations of the recruitment demo: the ``backoffice demo`` step."""

from __future__ import annotations


def register() -> None:
    from backoffice.core.demo import register_demo_step
    from backoffice.recruitment.demo import demo_step

    register_demo_step(demo_step)

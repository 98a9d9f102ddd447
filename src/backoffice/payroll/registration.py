"""Everything the payroll app plugs into the platform, called once from
``ready``: each area's ``payroll.setup.<area>.register()`` adds its request
types, navigation, demo steps, jobs and portal pages."""

from __future__ import annotations


def register_all() -> None:
    from backoffice.payroll.setup import demo, navigation, payslips, runs

    for area in (navigation, runs, payslips, demo):
        area.register()

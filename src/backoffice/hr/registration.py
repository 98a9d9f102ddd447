"""Everything the HR app plugs into the platform, called once from ``ready``:
each area's ``hr.setup.<area>.register()`` adds its request types, hooks,
navigation, demo steps, jobs and records access."""

from __future__ import annotations


def register_all() -> None:
    from backoffice.hr.setup import attendance, contracts, employees, leave, onboarding

    for area in (employees, contracts, leave, attendance, onboarding):
        area.register()

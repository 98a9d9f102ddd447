"""Everything the recruitment app plugs into the platform, called once from
``ready``: each area's ``recruitment.setup.<area>.register()`` adds its
request types, navigation, jobs, demo steps and records access."""

from __future__ import annotations

import importlib

AREAS = ("navigation", "requisitions", "pipeline", "offers", "careers", "demo")


def register_all() -> None:
    for area in AREAS:
        module = importlib.import_module(f"backoffice.recruitment.setup.{area}")
        module.register()

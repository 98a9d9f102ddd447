"""Platform registrations of the recruitment demo area."""

from __future__ import annotations


def register() -> None:
    pass

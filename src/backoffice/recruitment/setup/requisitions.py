"""Platform registrations of the recruitment requisitions area."""

from __future__ import annotations


def register() -> None:
    pass

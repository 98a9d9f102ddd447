"""Platform registrations of the recruitment careers area."""

from __future__ import annotations


def register() -> None:
    pass

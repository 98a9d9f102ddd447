"""Platform registrations of the recruitment navigation area."""

from __future__ import annotations


def register() -> None:
    pass

"""Platform registrations of the recruitment offers area."""

from __future__ import annotations


def register() -> None:
    pass

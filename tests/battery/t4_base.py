"""Shared pieces of the T4 authorisation matrix: the per-app tables
(``t4_<app>.py``) import these to describe their desk screens and rows."""

from __future__ import annotations

from dataclasses import dataclass

ANY = "<any role in the active company>"


@dataclass(frozen=True)
class Screen:
    """Who may do what on one desk model (None: nobody)."""

    view: str | None
    add: str | None = None
    change: str | None = None
    delete: str | None = None
    export: bool = True
    rows: str = "company"  # company | mine (own user's rows) | jobs | companies | platform


@dataclass
class Row:
    obj: object
    marker: str  # shown on list and detail pages
    token: str  # in an export file

    @property
    def pk(self):
        return self.obj.pk

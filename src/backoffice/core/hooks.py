"""Extension points other apps plug into without core importing them.

An app registers a callable here from its ``AppConfig.ready``; e.g. the
accounting app creates the books of a new company from its chart template.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_company_created: list[Callable[..., Any]] = []


def on_company_created(func: Callable[..., Any]) -> Callable[..., Any]:
    _company_created.append(func)
    return func


def company_created(*, company: Any, actor: Any) -> None:
    for func in _company_created:
        func(company=company, actor=actor)

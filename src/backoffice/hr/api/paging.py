"""Paginating rows that are shaped in Python (salary shown or not, identifiers masked)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ShapedPage:
    """A queryset as ``Pagination`` sees it: counted in SQL, and only the requested
    page is loaded (its encrypted fields decrypted) and shaped by ``out``."""

    def __init__(self, qs: Any, out: Callable[[Any], dict[str, Any]]) -> None:
        self.qs, self.out = qs, out

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [self.out(row) for row in self.qs[page]]

"""The records API (mounted at /api/v1/records/ by backoffice.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["records"])

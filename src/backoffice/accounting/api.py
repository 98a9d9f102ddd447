"""The accounting API (mounted at /api/v1/accounting/ by backoffice.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["accounting"])

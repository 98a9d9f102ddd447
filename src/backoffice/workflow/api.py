"""The workflow API (mounted at /api/v1/workflow/ by backoffice.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["workflow"])

"""API: employees."""

from ninja import Router

router = Router()

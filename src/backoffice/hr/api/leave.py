"""API: leave."""

from ninja import Router

router = Router()

"""Recruitment API (``/api/v1/recruitment/``): one router per area. The public
part (postings, applying) has ``auth=None`` and its own rate limit."""

from ninja import Router

router = Router(tags=["recruitment"])

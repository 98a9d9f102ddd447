"""Recruitment API (``/api/v1/recruitment/``): one router per area. The public
part (``public/...``: postings, applying) has ``auth=None`` and its own rate
limit; everything else is staff, scoped like the desk."""

from ninja import Router

from backoffice.recruitment.api import (
    applications,
    candidates,
    interviews,
    offers,
    postings,
    public,
    reports,
    requisitions,
)

router = Router(tags=["recruitment"])
for _module in (
    public, requisitions, postings, offers, reports, applications, candidates, interviews,
):  # fmt: skip
    router.add_router("/", _module.router)

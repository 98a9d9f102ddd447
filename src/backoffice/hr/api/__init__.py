"""HR API (``/api/v1/hr/``): one router per area, scoped like the desk."""

from ninja import Router

from backoffice.hr.api import attendance, contracts, employees, leave, onboarding

router = Router(tags=["hr"])
router.add_router("/", employees.router)
router.add_router("/", contracts.router)
router.add_router("/", leave.router)
router.add_router("/", attendance.router)
router.add_router("/", onboarding.router)

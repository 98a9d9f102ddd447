"""API: onboarding/offboarding and collaborators (under /api/v1/hr/).

* ``POST /onboarding/hire``; ``GET /onboarding/cases`` (+ detail, cancel);
  ``GET /onboarding/templates``; ``POST /onboarding/people/{id}/offboarding``;
  ``POST /onboarding/people/{id}/close`` (409 ``revoke_tasks_open``);
* ``GET|POST /collaborators``; ``POST /collaborators/access-sync``;
* ``GET|POST /worklogs``, detail, ``submit``, ``withdraw``, ``DELETE``.

Reads are scoped like the desk (``hr.selectors.onboarding``): another company's
ids answer 404; a work log's amount is shown to salary roles and its collaborator.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.exceptions import NotFound
from backoffice.core.models import Department, Position
from backoffice.core.request_context import request_user
from backoffice.hr.api.onboarding_schemas import (
    CaseDetailOut,
    CaseOut,
    CloseOut,
    CollaboratorIn,
    CollaboratorOut,
    HireIn,
    HireOut,
    OffboardingIn,
    SyncOut,
    TemplateOut,
    WorkLogIn,
    WorkLogOut,
)
from backoffice.hr.models import Employee, OnboardingCase
from backoffice.hr.selectors import employee_get_for_user, require_employee_for_user
from backoffice.hr.selectors import onboarding as sel
from backoffice.hr.services import collaborators as collab
from backoffice.hr.services import onboarding as svc
from backoffice.hr.services import onboarding_people as people

router = Router(tags=["hr"])


def _ctx(request: HttpRequest) -> tuple[Any, Any]:
    return request_user(request), _company(request)


def _ref(model: Any, company: Any, public_id: UUID | None, what: str) -> Any:
    if public_id is None:
        return None
    obj = model.objects.filter(company=company, public_id=public_id).first()
    if obj is None:
        raise NotFound(_("%(what)s not found.") % {"what": what})
    return obj


def _person_fields(company: Any, payload: Any) -> dict[str, Any]:
    fields = {k: getattr(payload, k) for k in ("full_name", "code", "email", "phone", "gender",
                                               "date_of_birth")}  # fmt: skip
    fields["department"] = _ref(Department, company, payload.department_id, _("Department"))
    fields["position"] = _ref(Position, company, payload.position_id, _("Position"))
    if getattr(payload, "manager_id", None):
        fields["manager"] = _ref(Employee, company, payload.manager_id, _("Employee"))
    return {k: v for k, v in fields.items() if v not in (None, "")}


def _case(user: Any, company: Any, public_id: UUID) -> OnboardingCase:
    return sel.case_get_for_user(user=user, company=company, public_id=public_id)


# --- onboarding --------------------------------------------------------------------------------
@router.post("/onboarding/hire", response={201: HireOut, **ERRORS}, summary="Hire a person")
def hire(request: HttpRequest, payload: HireIn):
    user, company = _ctx(request)
    contract = payload.contract.dict() if payload.contract else None
    if contract:
        contract = {k: v for k, v in contract.items() if v is not None}
    emp = people.employee_hire(actor=user, company=company, start_date=payload.start_date,
                               contract=contract, portal_account=payload.portal_account,
                               **_person_fields(company, payload))  # fmt: skip
    case = sel.case_list(user=user, company=company).filter(employee=emp).latest("id")
    return Status(201, {"employee": emp, "case": case})


@router.get("/onboarding/cases", response={200: list[CaseOut], **ERRORS})
@paginate(Pagination)
def case_list(request: HttpRequest, kind: str = "", state: str = ""):
    user, company = _ctx(request)
    qs = sel.case_list(user=user, company=company)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-reference_date", "id")


@router.get("/onboarding/cases/{case_id}", response={200: CaseDetailOut, **ERRORS})
def case_detail(request: HttpRequest, case_id: UUID):
    user, company = _ctx(request)
    case = _case(user, company, case_id)
    if svc.case_refresh(case=case):
        case = _case(user, company, case_id)
    return case


@router.post("/onboarding/cases/{case_id}/cancel", response={200: CaseOut, **ERRORS})
def case_cancel(request: HttpRequest, case_id: UUID):
    user, company = _ctx(request)
    svc.case_cancel(actor=user, company=company, case=_case(user, company, case_id))
    return _case(user, company, case_id)


@router.get("/onboarding/templates", response={200: list[TemplateOut], **ERRORS})
@paginate(Pagination)
def template_list(request: HttpRequest):
    user, company = _ctx(request)
    qs = sel.checklist_template_list(user=user, company=company)
    return qs.prefetch_related("items").order_by("kind", "name")


@router.post("/onboarding/people/{person_id}/offboarding",
             response={201: CaseOut, **ERRORS})  # fmt: skip
def offboarding(request: HttpRequest, person_id: UUID, payload: OffboardingIn):
    user, company = _ctx(request)
    emp = employee_get_for_user(user=user, company=company, public_id=person_id)
    case = people.offboarding_start(actor=user, company=company, employee=emp,
                                    last_day=payload.last_day, reason=payload.reason)  # fmt: skip
    return Status(201, _case(user, company, case.public_id))


@router.post("/onboarding/people/{person_id}/close", response={200: CloseOut, **ERRORS})
def close(request: HttpRequest, person_id: UUID):
    user, company = _ctx(request)
    emp = employee_get_for_user(user=user, company=company, public_id=person_id)
    return {"employee": people.employee_close(actor=user, company=company, employee=emp)}


# --- collaborators -----------------------------------------------------------------------------
@router.get("/collaborators", response={200: list[CollaboratorOut], **ERRORS})
@paginate(Pagination)
def collaborator_list(request: HttpRequest):
    from backoffice.hr.selectors import collaborator_list as people_list

    user, company = _ctx(request)
    return people_list(user=user, company=company).order_by("full_name", "id")


@router.post("/collaborators", response={201: CollaboratorOut, **ERRORS})
def collaborator_create(request: HttpRequest, payload: CollaboratorIn):
    user, company = _ctx(request)
    fields = _person_fields(company, payload)
    emp = collab.collaborator_start(actor=user, company=company, agreement=payload.agreement.dict(),
                                    portal_account=payload.portal_account, **fields)  # fmt: skip
    return Status(201, emp)


@router.post("/collaborators/access-sync", response={200: SyncOut, **ERRORS})
def access_sync(request: HttpRequest):
    from backoffice.core.selectors import require_perm

    user, company = _ctx(request)
    require_perm(user, "hr.manage_onboarding")
    return {"closed": collab.collaborator_access_sync(company=company)}


# --- work logs ---------------------------------------------------------------------------------
@router.get("/worklogs", response={200: list[WorkLogOut], **ERRORS})
@paginate(Pagination)
def worklog_list(request: HttpRequest, state: str = ""):
    user, company = _ctx(request)
    qs = sel.worklog_list(user=user, company=company)
    if state:
        qs = qs.filter(state=state)
    return qs


@router.get("/worklogs/{worklog_id}", response={200: WorkLogOut, **ERRORS})
def worklog_detail(request: HttpRequest, worklog_id: UUID):
    user, company = _ctx(request)
    return sel.worklog_get_for_user(user=user, company=company, public_id=worklog_id)


@router.post("/worklogs", response={201: WorkLogOut, **ERRORS})
def worklog_create(request: HttpRequest, payload: WorkLogIn):
    user, company = _ctx(request)
    own = require_employee_for_user(user=user, company=company) if not user.has_perm(
        "hr.view_employee") else None  # fmt: skip
    if payload.employee_id is None or (own is not None and payload.employee_id == own.public_id):
        emp = own or require_employee_for_user(user=user, company=company)
    elif own is not None:  # someone else's record: not visible to a collaborator
        raise NotFound(_("%(what)s not found.") % {"what": _("Employee")})
    else:
        emp = _ref(Employee, company, payload.employee_id, _("Employee"))
    log = collab.worklog_create(actor=user, company=company, employee=emp, date=payload.date,
                                description=payload.description, hours=payload.hours,
                                quantity=payload.quantity)  # fmt: skip
    return Status(201, log)


@router.post("/worklogs/{worklog_id}/submit", response={200: WorkLogOut, **ERRORS})
def worklog_submit(request: HttpRequest, worklog_id: UUID):
    user, company = _ctx(request)
    log = sel.worklog_get_for_user(user=user, company=company, public_id=worklog_id)
    collab.worklog_submit(actor=user, company=company, worklog=log)
    return sel.worklog_get_for_user(user=user, company=company, public_id=worklog_id)


@router.post("/worklogs/{worklog_id}/withdraw", response={200: WorkLogOut, **ERRORS})
def worklog_withdraw(request: HttpRequest, worklog_id: UUID):
    user, company = _ctx(request)
    log = sel.worklog_get_for_user(user=user, company=company, public_id=worklog_id)
    collab.worklog_withdraw(actor=user, company=company, worklog=log)
    return sel.worklog_get_for_user(user=user, company=company, public_id=worklog_id)


@router.delete("/worklogs/{worklog_id}", response={204: None, **ERRORS})
def worklog_delete(request: HttpRequest, worklog_id: UUID):
    user, company = _ctx(request)
    log = sel.worklog_get_for_user(user=user, company=company, public_id=worklog_id)
    collab.worklog_delete(actor=user, company=company, worklog=log)
    return Status(204, None)

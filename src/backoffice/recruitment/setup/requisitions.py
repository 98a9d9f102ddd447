"""Platform registrations of the requisitions area: the request type
"recruitment_requisition" with the approval engine; for every new company
the default approval policy (HR manager) and the default e-mail templates
(Vietnamese and English)."""

from __future__ import annotations

from typing import Any


def company_defaults(*, company: Any, actor: Any = None) -> None:
    from backoffice.recruitment.services.requisitions import requisition_policy_ensure
    from backoffice.recruitment.services.settings import templates_ensure

    requisition_policy_ensure(company=company, actor=actor)
    templates_ensure(company=company, actor=actor)


def register() -> None:
    from backoffice.core import hooks
    from backoffice.recruitment.services import requisitions as rq
    from backoffice.workflow.registry import RequestType, register_request_type

    register_request_type(
        RequestType(
            code=rq.REQUEST_TYPE,
            label=rq.REQUEST_LABEL,
            on_approved=rq.on_approved,
            on_rejected=rq.on_rejected,
            on_withdrawn=rq.on_withdrawn,
            submit_permission=rq.MANAGE,
        )
    )
    hooks.on_company_created(company_defaults)

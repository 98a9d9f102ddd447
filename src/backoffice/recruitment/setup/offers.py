"""Platform registrations of the recruitment offers area: the request type
"recruitment_offer" with the approval engine and the default approval policy
of every new company (HR manager, then the director); offer letters (records
documents owned by the offer) open only for those who see offers."""

from __future__ import annotations

from typing import Any


def company_defaults(*, company: Any, actor: Any = None) -> None:
    from backoffice.recruitment.services.offers import offer_policy_ensure

    offer_policy_ensure(company=company, actor=actor)


def _offers_for(*, user: Any, company: Any) -> Any:
    from backoffice.recruitment.selectors.offers import offer_list

    return offer_list(user=user, company=company)


def register() -> None:
    from backoffice.core import hooks
    from backoffice.records.registry import register_owner_access
    from backoffice.recruitment.services import offers
    from backoffice.workflow.registry import RequestType, register_request_type

    register_request_type(
        RequestType(
            code=offers.REQUEST_TYPE,
            label=offers.REQUEST_LABEL,
            on_approved=offers.on_approved,
            on_rejected=offers.on_rejected,
            on_withdrawn=offers.on_withdrawn,
            submit_permission=offers.MANAGE,
        )
    )
    hooks.on_company_created(company_defaults)
    # Offer letters show the salary: only those who see offers open them.
    register_owner_access("recruitment.Offer", _offers_for, exclusive=True)

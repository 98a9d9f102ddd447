"""Platform registrations: contracts.

* job kind ``hr.contract_alerts`` (expiry tasks; also ``backoffice hr contract-alerts``),
* records owner access: a contract's documents open for salary roles and the person,
* the desk's "Contracts" sidebar group.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

_done = False


def contract_alerts_job(
    *, progress: Any, company: Any, actor: Any = None, **params: Any
) -> dict[str, int]:
    import datetime as dt

    from backoffice.hr.services.contracts import contract_expiry_alerts

    progress.update(0, 1)
    on = dt.date.fromisoformat(params["on"]) if params.get("on") else None
    created = contract_expiry_alerts(company=company, on=on)
    progress.update(1, 1)
    return {"created": created}


def _nav() -> None:
    from backoffice.core.navigation import perm, register_group

    register_group(
        42,
        {
            "title": _("Contracts"),
            "items": [
                {
                    "title": _("Labour contracts"),
                    "icon": "contract",
                    "link": reverse_lazy("admin:hr_contract_changelist"),
                    "permission": perm("hr.view_contract"),
                },
                {
                    "title": _("Expiring in 30 days"),
                    "icon": "event_upcoming",
                    "link": reverse_lazy("hr:contract_expiring"),
                    "permission": perm("hr.view_contract"),
                },
                {
                    "title": _("Contract templates"),
                    "icon": "description",
                    "link": reverse_lazy("admin:hr_contracttemplate_changelist"),
                    "permission": perm("hr.change_contract"),
                },
            ],
        },
    )


def register() -> None:
    global _done
    from backoffice.core.jobs import job_kind
    from backoffice.hr.selectors.contracts import contracts_with_documents

    job_kind(
        "hr.contract_alerts",
        permission="hr.change_contract",
        label=_("Contract expiry alerts"),
    )(contract_alerts_job)
    try:
        from backoffice.records.registry import register_owner_access
    except ImportError:  # pragma: no cover - records is part of the product
        pass
    else:
        register_owner_access("hr.Contract", contracts_with_documents, exclusive=True)
    if not _done:  # the sidebar keeps a list: once per process
        _nav()
        _done = True

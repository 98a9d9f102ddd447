"""The desk's "Work" group."""

from __future__ import annotations

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from backoffice.core.navigation import perm, register_group


def _member(request) -> bool:
    return getattr(request, "company", None) is not None and bool(
        request.user.get_all_permissions() or _has_role(request)
    )


def _has_role(request) -> bool:
    from backoffice.core.selectors import user_roles

    return bool(user_roles(user=request.user, company=request.company))


def _workload(request) -> bool:
    from backoffice.workflow.selectors import may_see_workload

    return may_see_workload(user=request.user, company=getattr(request, "company", None))


def register() -> None:
    register_group(
        20,
        {
            "title": _("Work"),
            "items": [
                {
                    "title": _("My work"),
                    "icon": "inbox",
                    "link": reverse_lazy("admin:workflow_my_work"),
                    "permission": _member,
                },
                {
                    "title": _("My tasks"),
                    "icon": "task_alt",
                    "link": reverse_lazy("admin:workflow_mytask_changelist"),
                    "permission": _member,
                },
                {
                    "title": _("My approvals"),
                    "icon": "approval",
                    "link": reverse_lazy("admin:workflow_myapprovalrequest_changelist"),
                    "permission": _member,
                },
                {
                    "title": _("My expense claims"),
                    "icon": "receipt_long",
                    "link": reverse_lazy("admin:workflow_myexpenseclaim_changelist"),
                    "permission": _member,
                },
                {
                    "title": _("My purchase requests"),
                    "icon": "shopping_cart",
                    "link": reverse_lazy("admin:workflow_mypurchaserequest_changelist"),
                    "permission": _member,
                },
                {
                    "title": _("Delegations"),
                    "icon": "switch_account",
                    "link": reverse_lazy("admin:workflow_delegation_changelist"),
                    "permission": _member,
                },
                {
                    "title": _("Workload"),
                    "icon": "monitoring",
                    "link": reverse_lazy("admin:workflow_workload"),
                    "permission": _workload,
                },
                {
                    "title": _("All tasks"),
                    "icon": "checklist",
                    "link": reverse_lazy("admin:workflow_task_changelist"),
                    "permission": perm("workflow.view_task"),
                },
                {
                    "title": _("All approval requests"),
                    "icon": "fact_check",
                    "link": reverse_lazy("admin:workflow_approvalrequest_changelist"),
                    "permission": perm("workflow.view_approvalrequest"),
                },
                {
                    "title": _("All expense claims"),
                    "icon": "payments",
                    "link": reverse_lazy("admin:workflow_expenseclaim_changelist"),
                    "permission": perm("workflow.view_expenseclaim"),
                },
                {
                    "title": _("All purchase requests"),
                    "icon": "inventory_2",
                    "link": reverse_lazy("admin:workflow_purchaserequest_changelist"),
                    "permission": perm("workflow.view_purchaserequest"),
                },
                {
                    "title": _("Approval policies"),
                    "icon": "rule",
                    "link": reverse_lazy("admin:workflow_approvalpolicy_changelist"),
                    "permission": perm("workflow.view_approvalpolicy"),
                },
            ],
        },
    )

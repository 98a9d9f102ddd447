from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "backoffice.workflow"
    label = "workflow"
    verbose_name = _("Work")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backoffice.core import hooks
        from backoffice.core.demo import register_demo_step
        from backoffice.core.permissions import register_grants
        from backoffice.workflow import jobs, navigation
        from backoffice.workflow.demo import demo_step
        from backoffice.workflow.permissions import WORKFLOW_GRANTS
        from backoffice.workflow.registry import RequestType, register_request_type
        from backoffice.workflow.services import (
            _expense_approved,
            _expense_rejected,
            _purchase_decided,
            default_policies_create,
        )

        register_grants(WORKFLOW_GRANTS)
        register_request_type(
            RequestType(
                code="expense",
                label=_("Expense claim"),
                on_approved=_expense_approved,
                on_rejected=_expense_rejected,
            )
        )
        register_request_type(
            RequestType(
                code="purchase",
                label=_("Purchase request"),
                on_approved=_purchase_decided("approved"),
                on_rejected=_purchase_decided("rejected"),
            )
        )
        hooks.on_company_created(default_policies_create)
        navigation.register()
        jobs.register()
        register_demo_step(demo_step)
        self._register_owner_access()

    def _register_owner_access(self) -> None:
        """The approvers of a claim see its receipts (the records app decides the rest)."""
        try:
            from backoffice.records.registry import register_owner_access
        except ImportError:
            return
        from backoffice.workflow.selectors import (
            expense_claims_with_documents,
            purchase_requests_with_documents,
        )

        register_owner_access("workflow.ExpenseClaim", expense_claims_with_documents)
        register_owner_access("workflow.PurchaseRequest", purchase_requests_with_documents)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountingConfig(AppConfig):
    name = "backoffice.accounting"
    label = "accounting"
    verbose_name = _("Accounting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backoffice.accounting.permissions import ACCOUNTING_GRANTS
        from backoffice.core.permissions import register_grants

        register_grants(ACCOUNTING_GRANTS)

        from backoffice.accounting.charts import on_company_created
        from backoffice.core import hooks

        # A new company gets its books (chart template, journals, current fiscal year).
        hooks.on_company_created(on_company_created)

        from backoffice.accounting import demo, navigation  # noqa: F401  (sidebar group, demo step)
        from backoffice.accounting.expense_claims import on_expense_claim_approved
        from backoffice.workflow import hooks as workflow_hooks

        # Approved expense claims post to the ledger (workflow never imports accounting).
        workflow_hooks.on_expense_claim_approved(on_expense_claim_approved)

        from backoffice.accounting import approvals

        # Optional posting through an approval (request type "journal_entry").
        approvals.register()
        self._register_owner_access()

    def _register_owner_access(self) -> None:
        """A voucher's files open only for those who may see the voucher (exclusive:
        the records role/classification rule does not apply to them)."""
        try:
            from backoffice.records.registry import register_owner_access
        except ImportError:  # pragma: no cover - records is part of the product
            return
        from backoffice.accounting.selectors import entries_with_documents

        register_owner_access("accounting.Entry", entries_with_documents, exclusive=True)

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

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "backoffice.payroll"
    label = "payroll"
    verbose_name = _("Payroll")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backoffice.core.permissions import register_grants
        from backoffice.payroll import registration
        from backoffice.payroll.permissions import PAYROLL_GRANTS

        register_grants(PAYROLL_GRANTS)
        registration.register_all()

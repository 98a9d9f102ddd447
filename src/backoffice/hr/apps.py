from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrConfig(AppConfig):
    name = "backoffice.hr"
    label = "hr"
    verbose_name = _("Human resources")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backoffice.core.permissions import register_grants
        from backoffice.hr import registration
        from backoffice.hr.permissions import HR_GRANTS

        register_grants(HR_GRANTS)
        registration.register_all()

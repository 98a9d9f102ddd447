from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "backoffice.recruitment"
    label = "recruitment"
    verbose_name = _("Recruitment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backoffice.core.permissions import register_grants
        from backoffice.recruitment import registration
        from backoffice.recruitment.permissions import RECRUITMENT_GRANTS

        register_grants(RECRUITMENT_GRANTS)
        registration.register_all()

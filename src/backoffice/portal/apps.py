from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "backoffice.portal"
    label = "portal"
    verbose_name = _("Self-service portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backoffice.portal.access_records import own_person_records
        from backoffice.records.registry import register_owner_access

        # A person sees the documents HR attaches to their own record (see access_records).
        register_owner_access("hr.Employee", own_person_records)

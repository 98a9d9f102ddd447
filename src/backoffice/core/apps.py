from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "backoffice.core"
    label = "core"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import backoffice.core.backup  # noqa: F401  (registers the core.backup job kind)
        from backoffice.core import signals  # noqa: F401  (axes login-failure audit hook)

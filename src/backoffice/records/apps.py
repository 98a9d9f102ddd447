from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _disposal_approved(request):
    from backoffice.records.services import on_disposal_approved

    return on_disposal_approved(request)


def _disposal_rejected(request):
    from backoffice.records.services import on_disposal_rejected

    return on_disposal_rejected(request)


class RecordsConfig(AppConfig):
    name = "backoffice.records"
    label = "records"
    verbose_name = _("Records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backoffice.core.hooks import on_company_created
        from backoffice.core.permissions import register_grants
        from backoffice.records import jobs  # noqa: F401  (job kinds)
        from backoffice.records.demo import demo_step
        from backoffice.records.navigation import register_navigation
        from backoffice.records.permissions import RECORDS_GRANTS

        register_grants(RECORDS_GRANTS)
        register_navigation()
        from backoffice.core.demo import register_demo_step

        register_demo_step(demo_step)
        on_company_created(_install_retention_defaults)
        self._register_workflow()

    def _register_workflow(self) -> None:
        """Disposal is approved through the workflow app when it is installed."""
        try:
            from backoffice.workflow.registry import RequestType, register_request_type
        except ImportError:
            return
        register_request_type(
            RequestType(
                code="document_disposal",
                label=_("Document disposal"),
                on_approved=_disposal_approved,
                on_rejected=_disposal_rejected,
                submit_permission="records.add_disposalbatch",
            )
        )


def _install_retention_defaults(*, company, actor):
    from backoffice.records.services import retention_defaults_install

    retention_defaults_install(company=company, actor=actor)

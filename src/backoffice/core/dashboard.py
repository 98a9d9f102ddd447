from __future__ import annotations

from django.utils.translation import gettext as _

from backoffice.core.selectors import dashboard_figures


def dashboard_callback(request, context):
    company = getattr(request, "company", None)
    if company is None:
        context["bo_cards"] = []
        return context
    figures = dashboard_figures(user=request.user, company=company)
    labels = {
        "people": (_("People with a role"), "group"),
        "departments": (_("Departments"), "account_tree"),
        "positions": (_("Positions"), "badge"),
        "jobs_running": (_("Jobs running"), "pending_actions"),
        "jobs_failed": (_("Jobs failed"), "error"),
        "unread_notifications": (_("Unread notifications"), "notifications"),
        "audit_events": (_("Audit events"), "policy"),
    }
    context["bo_cards"] = [
        {"key": key, "label": labels[key][0], "icon": labels[key][1], "value": value}
        for key, value in figures.items()
    ]
    return context

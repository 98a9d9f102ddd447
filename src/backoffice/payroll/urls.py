"""Desk pages of the payroll app under ``/desk/payroll/`` (namespace ``payroll``)."""

from backoffice.payroll.views import collaborators, payslips, reports, rules, runs, settings

app_name = "payroll"

urlpatterns = [
    *rules.urlpatterns,
    *runs.urlpatterns,
    *payslips.urlpatterns,
    *reports.urlpatterns,
    *collaborators.urlpatterns,
    *settings.urlpatterns,
]

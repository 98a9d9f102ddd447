"""Public pages of the payroll app under ``/payroll/`` (namespace
``payroll_public``): the gross<->net calculator, no login."""

from backoffice.payroll.views import calculator

app_name = "payroll_public"

urlpatterns = [*calculator.urlpatterns]

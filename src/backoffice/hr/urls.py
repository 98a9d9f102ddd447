"""Desk pages of the HR app under ``/desk/hr/`` (namespace ``hr``)."""

from backoffice.hr.views import attendance, contracts, employees, leave, onboarding

app_name = "hr"

urlpatterns = [
    *employees.urlpatterns,
    *contracts.urlpatterns,
    *leave.urlpatterns,
    *attendance.urlpatterns,
    *onboarding.urlpatterns,
]

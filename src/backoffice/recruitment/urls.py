"""Desk pages of the recruitment app under ``/desk/recruitment/`` (namespace ``recruitment``)."""

from backoffice.recruitment.views import (
    board,
    candidates,
    intake,
    interviews,
    offers,
    postings,
    reports,
    requisitions,
    settings,
)

app_name = "recruitment"

urlpatterns = [
    *intake.urlpatterns,
    *requisitions.urlpatterns,
    *postings.urlpatterns,
    *settings.urlpatterns,
    *offers.urlpatterns,
    *reports.urlpatterns,
    *interviews.urlpatterns,
    *board.urlpatterns,
    *candidates.urlpatterns,
]

"""Desk pages of the recruitment app under ``/desk/recruitment/`` (namespace ``recruitment``)."""

app_name = "recruitment"

urlpatterns: list = []

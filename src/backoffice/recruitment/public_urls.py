"""Public pages under ``/careers/`` (namespace ``careers``): the careers page,
applying, the candidate's private status link. No login."""

from backoffice.recruitment.views import careers

app_name = "careers"

urlpatterns: list = [*careers.urlpatterns]

"""Public pages under ``/careers/`` (namespace ``careers``): the careers page,
applying, the candidate's private status link. No login."""

app_name = "careers"

urlpatterns: list = []

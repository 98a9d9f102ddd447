"""Self-service portal under ``/portal/`` (namespace ``portal``)."""

from django.urls import URLPattern

app_name = "portal"

urlpatterns: list[URLPattern] = []

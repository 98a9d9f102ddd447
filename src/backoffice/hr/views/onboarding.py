"""Desk pages: onboarding."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

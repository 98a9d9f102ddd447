"""Desk pages: leave."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

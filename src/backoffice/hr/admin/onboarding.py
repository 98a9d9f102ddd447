"""Desk screens: onboarding."""

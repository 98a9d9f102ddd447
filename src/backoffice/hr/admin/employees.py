"""Desk screens: employees."""

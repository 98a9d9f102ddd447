"""Desk screens: contracts."""

"""Desk screens: attendance."""

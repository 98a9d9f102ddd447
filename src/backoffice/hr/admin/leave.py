"""Desk screens: leave."""

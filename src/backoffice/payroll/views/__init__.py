"""Desk and public pages of the payroll app, one module per area."""

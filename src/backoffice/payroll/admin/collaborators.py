"""Payroll desk screens: collaborators."""

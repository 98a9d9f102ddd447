"""Payroll desk screens: rules."""

"""Payroll desk screens: runs."""

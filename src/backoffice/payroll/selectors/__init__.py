"""Payroll selectors (reads), one module per area."""

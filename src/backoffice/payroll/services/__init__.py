"""Payroll services (writes), one module per area."""

"""Payroll desk screens, one module per area (imported for their registrations)."""

from backoffice.payroll.admin import collaborators, items, rules, runs  # noqa: F401

"""HR desk screens, one module per area (imported for their registrations)."""

from backoffice.hr.admin import attendance, contracts, employees, leave, onboarding  # noqa: F401

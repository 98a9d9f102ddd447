"""Platform registrations of the payroll app, one module per area."""

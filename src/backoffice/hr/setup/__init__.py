"""Platform registrations of the HR app, one module per area."""

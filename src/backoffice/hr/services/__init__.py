"""HR services, one module per area."""

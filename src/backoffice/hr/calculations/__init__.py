"""HR calculations, one module per area."""

"""HR desk pages (custom screens inside the desk shell), one module per area."""

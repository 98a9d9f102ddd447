"""Everything the HR app plugs into the platform, called once from ``ready``.

Each area adds its own ``register()`` here: request types (leave,
collaborator work), hooks, navigation, demo steps, jobs, records access.
"""

from __future__ import annotations


def register_all() -> None:
    return None

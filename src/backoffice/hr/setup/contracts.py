"""Platform registrations: contracts."""


def register() -> None:
    return None

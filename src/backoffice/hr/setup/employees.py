"""Platform registrations: employees."""


def register() -> None:
    return None

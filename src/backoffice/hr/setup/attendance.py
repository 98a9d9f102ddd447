"""Platform registrations: attendance."""


def register() -> None:
    return None

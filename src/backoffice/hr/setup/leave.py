"""Platform registrations: leave."""


def register() -> None:
    return None

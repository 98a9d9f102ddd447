"""Platform registrations: onboarding."""


def register() -> None:
    return None

"""Recruitment: requisitions, the public careers page, the candidate pipeline,
CV screening, interviews, offers and the hand-over to HR onboarding."""

"""Self-service portal for employees and remote collaborators.

Light pages (Django templates + htmx) that work on a phone: a person sees and
edits the allowed parts of their own profile, requests leave and sees their
balances, records attendance, sees their tasks and documents; a collaborator
sees their agreement and tasks and submits timesheets. The portal holds no
business rule: every read goes through ``hr.selectors`` / the owning app's
selectors scoped to the logged-in person, every write through services.
"""

"""Permissions of the platform and the default role grants, as a readable table.

A permission is a Django-style string ``"<app>.<action>_<thing>"``. A user's
permissions are the union of the grants of the roles they hold *in the
company they are working in*; nothing is granted by default. Other apps add
their own grants with :func:`register_grants` from their ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Iterable

from backoffice.core.enums import Role

# Permission catalogue of the core app: codename -> what it allows.
CORE_PERMISSIONS: dict[str, str] = {
    "core.view_company": "see the company card",
    "core.change_company": "edit the company card and its settings",
    "core.view_department": "see departments",
    "core.add_department": "create departments",
    "core.change_department": "edit departments",
    "core.delete_department": "delete departments",
    "core.view_position": "see positions",
    "core.add_position": "create positions",
    "core.change_position": "edit positions",
    "core.delete_position": "delete positions",
    "core.view_user": "see the company's users",
    "core.add_user": "create users",
    "core.change_user": "edit users",
    "core.view_membership": "see who holds which role",
    "core.add_membership": "grant roles",
    "core.change_membership": "change role grants",
    "core.delete_membership": "revoke roles",
    "core.view_auditevent": "read the audit log",
    "core.view_job": "see the company's background jobs",
    "core.run_backup": "start a backup",
    # Markers used by the two-factor rule (settings.BACKOFFICE MFA_REQUIRED_PERMISSIONS).
    "core.view_salary": "see salaries of individual people",
    "core.post_ledger": "post entries to the general ledger",
}

_ORG_READ = {"core.view_company", "core.view_department", "core.view_position"}
_ADMIN = {
    "core.view_company", "core.change_company",
    "core.view_department", "core.add_department", "core.change_department",
    "core.delete_department",
    "core.view_position", "core.add_position", "core.change_position", "core.delete_position",
    "core.view_user", "core.add_user", "core.change_user",
    "core.view_membership", "core.add_membership", "core.change_membership",
    "core.delete_membership",
    "core.view_job", "core.run_backup",
}  # fmt: skip

# role -> permissions granted. Read this table to know who may do what.
ROLE_GRANTS: dict[str, set[str]] = {
    Role.ACCOUNTANT: _ORG_READ | {"core.post_ledger"},
    Role.CHIEF_ACCOUNTANT: _ORG_READ | {"core.post_ledger", "core.view_job"},
    Role.HR_OFFICER: _ORG_READ | {"core.add_department", "core.change_department",
                                  "core.add_position", "core.change_position"},
    Role.HR_MANAGER: _ORG_READ | {"core.add_department", "core.change_department",
                                  "core.add_position", "core.change_position",
                                  "core.view_salary", "core.view_job"},
    Role.PAYROLL_OFFICER: _ORG_READ | {"core.view_salary"},
    Role.IT_OFFICER: _ORG_READ | {"core.view_user", "core.view_membership"},
    Role.DATA_ANALYST: _ORG_READ,
    Role.COMPLIANCE_OFFICER: _ORG_READ | {"core.view_auditevent", "core.view_user",
                                          "core.view_membership"},
    Role.RISK_ANALYST: _ORG_READ,
    Role.OPERATIONS_MANAGER: _ORG_READ | {"core.view_job"},
    Role.EMPLOYEE: set(),
    Role.COLLABORATOR: set(),
    Role.ADMIN: _ADMIN | {"core.view_auditevent"},
}  # fmt: skip

# Roles that work in the staff desk (the others use the portals).
DESK_ROLES = frozenset(ROLE_GRANTS) - {Role.EMPLOYEE, Role.COLLABORATOR}


def register_grants(grants: dict[str, Iterable[str]]) -> None:
    """Add an app's grants to the table (called once from AppConfig.ready)."""
    for role, perms in grants.items():
        # A new set each time: roles may share one base set object (``_ORG_READ``).
        ROLE_GRANTS[role] = set(ROLE_GRANTS.get(role, set())) | set(perms)


def permissions_for_roles(roles: Iterable[str]) -> set[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_GRANTS.get(role, set())
    return granted

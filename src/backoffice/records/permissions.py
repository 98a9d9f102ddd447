"""Records permissions and the default grants (registered from AppConfig.ready).

Access rule (written once, in ``selectors.visible_documents``):
- ``records.view_document`` is needed to see any document (the uploader always
  sees their own);
- public and internal: any holder in the company;
- confidential: ``records.view_confidential`` and the document's department is
  one of the user's (or the document has none, or ``records.view_all_departments``);
- secret: ``records.view_secret`` and the same department rule.
"""

from __future__ import annotations

from backoffice.core.enums import Role

RECORDS_PERMISSIONS: dict[str, str] = {
    "records.view_document": "see public and internal documents",
    "records.add_document": "upload documents and new versions",
    "records.change_document": "edit document metadata and tags",
    "records.view_confidential": "see confidential documents (own department)",
    "records.view_secret": "see secret documents (own department)",
    "records.view_all_departments": "the department rule does not apply",
    "records.set_legal_hold": "put documents on legal hold and release them",
    "records.view_retentionrule": "see retention rules",
    "records.add_retentionrule": "add retention rules",
    "records.change_retentionrule": "edit retention rules",
    "records.delete_retentionrule": "delete retention rules",
    "records.view_disposalbatch": "see disposal batches and documents due for disposal",
    "records.add_disposalbatch": "propose documents for disposal",
    "records.approve_disposal": "approve or reject a disposal (two-person rule)",
}

_BASE = {"records.view_document", "records.add_document"}
_CONF = _BASE | {"records.view_confidential"}
_SECRET = _CONF | {"records.view_secret", "records.change_document"}
_RETENTION = {
    "records.view_retentionrule", "records.add_retentionrule", "records.change_retentionrule",
    "records.delete_retentionrule",
}  # fmt: skip

RECORDS_GRANTS: dict[str, set[str]] = {
    Role.ACCOUNTANT: _CONF,
    Role.CHIEF_ACCOUNTANT: _SECRET | {"records.view_retentionrule"},
    Role.HR_OFFICER: _CONF,
    Role.HR_MANAGER: _SECRET | {"records.view_retentionrule"},
    Role.PAYROLL_OFFICER: _CONF,
    Role.IT_OFFICER: set(_BASE),
    # Same as the risk analyst: core.permissions gives both roles one shared set object.
    Role.DATA_ANALYST: set(_BASE),
    Role.COMPLIANCE_OFFICER: _SECRET
    | _RETENTION
    | {
        "records.view_all_departments",
        "records.set_legal_hold",
        "records.view_disposalbatch",
        "records.add_disposalbatch",
        "records.approve_disposal",
    },
    Role.RISK_ANALYST: set(_BASE),
    Role.OPERATIONS_MANAGER: _CONF
    | {
        "records.view_all_departments",
        "records.view_retentionrule",
        "records.view_disposalbatch",
        "records.approve_disposal",
    },
    # Configuration, no confidential content (SPEC §1).
    Role.ADMIN: _BASE
    | _RETENTION
    | {"records.change_document", "records.view_disposalbatch", "records.add_disposalbatch"},
}

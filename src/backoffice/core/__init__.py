"""Core platform: companies, departments, positions, users and their roles per
company, the audit log, background jobs, notifications, API tokens, money and
the error model.

Invariants:
- every business record belongs to exactly one company; a user reaches a
  company's data only through a Membership role in that company (deny by
  default, see ``backoffice.core.permissions``);
- the audit log is append-only (database triggers refuse UPDATE and DELETE)
  and hash-chained; ``backoffice audit verify`` recomputes the chain;
- every security-relevant or financial change writes its audit event in the
  same transaction as the change (``backoffice.core.audit.audit_record``).
"""

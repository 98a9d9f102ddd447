from __future__ import annotations

from backoffice.core.enums import Classification, Role
from backoffice.core.models import Membership


def with_company(user, company):
    """What the middleware / API auth does: permissions from the roles in ``company``."""
    user.active_company = company
    if hasattr(user, "_company_perm_cache"):
        del user._company_perm_cache
    return user


def person(make_user, company, role, department=None, **kw):
    user = make_user(company, roles=[role], **kw)
    if department is not None:
        Membership.objects.filter(user=user, company=company).update(department=department)
    return with_company(user, company)


def attach(actor, company, name="note.txt", data="Nội dung", **kw):
    from backoffice.records.services import document_attach
    from backoffice.records.tests.conftest import upload

    kw.setdefault("classification", Classification.INTERNAL)
    return document_attach(actor=actor, company=company, owner=kw.pop("owner", None),
                           uploaded_file=upload(name, data), **kw)  # fmt: skip


__all__ = ["Role", "attach", "person", "with_company"]

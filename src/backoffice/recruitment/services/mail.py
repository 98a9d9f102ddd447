"""E-mail to candidates: templates with ``{placeholders}`` (unknown ones stay
as written, so a typo never breaks sending), sent after the transaction
commits, with optional attachments (ICS invitations, the offer letter).
Every message sent is audited (``CANDIDATE_EMAILED``: subject and template,
never the body)."""

from __future__ import annotations

import logging
import string
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction

from backoffice.core.audit import audit_record

log = logging.getLogger("backoffice.recruitment.mail")

Attachment = tuple[str, bytes, str]  # (filename, content, mimetype)


class _Keep(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(text: str, context: Mapping[str, Any]) -> str:
    """``text`` with ``{name}`` replaced from ``context``; braces that are not a
    known placeholder stay as they are (no attribute or index access)."""
    values = _Keep({k: "" if v is None else str(v) for k, v in context.items()})
    out = []
    for literal, field, _spec, _conv in string.Formatter().parse(text):
        out.append(literal)
        if field is None:
            continue
        if not field.isidentifier():
            out.append("{" + field + "}")
        else:
            out.append(values[field])
    return "".join(out)


def send(
    *,
    actor: Any,
    company: Any,
    target: Any,
    to: Iterable[str],
    subject: str,
    body: str,
    attachments: Iterable[Attachment] = (),
    template: str = "",
) -> None:
    """Queue one e-mail for after the commit (nothing is sent if the action
    rolls back) and audit it on ``target``."""
    recipients = [a for a in to if a]
    if not recipients:
        return
    files = list(attachments)
    audit_record(
        event_type="CANDIDATE_EMAILED",
        actor=actor if actor is not None else "system",
        company=company,
        target=target,
        after={"subject": subject[:200], "template": template,
               "recipients": len(recipients), "attachments": [f[0] for f in files]},
    )  # fmt: skip

    def deliver() -> None:
        from django.core.mail import EmailMessage

        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        for name, content, mimetype in files:
            message.attach(name, content, mimetype)
        try:
            message.send(fail_silently=False)
        except Exception:  # the action stands; the failure is logged for the operator
            log.exception("could not send recruitment e-mail %r", subject)

    transaction.on_commit(deliver)

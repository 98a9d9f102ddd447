"""Posting through an approval (optional): a draft entry is submitted to the
workflow engine (request type ``journal_entry``); the entry waits as
"pending" (nobody can change, delete or post it), is posted when the last step
approves, and returns to draft when it is rejected or withdrawn.

A company opts in by creating an approval policy for "Journal entry" in the
desk (e.g. chief accountant above an amount); without one, submitting is
refused with ``no_policy`` and entries are posted directly as before.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.accounting.common import authorise
from backoffice.accounting.models import Entry, EntryState
from backoffice.accounting.posting import entry_post
from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict

REQUEST_TYPE = "journal_entry"
# The approval is the authority for the posting, not the last approver's role.
SYSTEM_ACTOR = "workflow:journal_entry"


@transaction.atomic
def entry_submit(*, actor: Any, entry: Entry) -> Entry:
    """Send a draft entry for approval (its lines are validated again at posting)."""
    from backoffice.workflow.services import approval_submit

    entry = Entry.objects.select_for_update().select_related("company").get(pk=entry.pk)
    company = entry.company
    authorise(actor, company, "accounting.add_entry")
    if entry.state != EntryState.DRAFT:
        raise Conflict(_("Only a draft entry can be sent for approval."), code="not_draft")
    total = sum((ln.debit for ln in entry.lines.all()), Decimal(0))
    approval_submit(
        actor=actor,
        company=company,
        request_type=REQUEST_TYPE,
        subject=entry,
        amount=total,
        title=_("Journal entry: %(d)s") % {"d": entry.description[:200]},
    )
    entry.state = EntryState.PENDING
    entry.save(update_fields=["state", "updated_at"])
    audit_record(
        event_type="ENTRY_SUBMITTED",
        actor=actor,
        company=company,
        target=entry,
        after={"state": entry.state, "amount": str(total)},
    )
    return entry


def _back_to_draft(request: Any) -> None:
    entry = Entry.objects.select_for_update().get(pk=request.subject_id)
    if entry.state == EntryState.PENDING:
        entry.state = EntryState.DRAFT
        entry.save(update_fields=["state", "updated_at"])


def _on_approved(request: Any) -> None:
    from backoffice.workflow.services import approval_decider

    entry = Entry.objects.get(pk=request.subject_id)
    # Into a closed period only if the last approver may post there himself.
    entry_post(actor=SYSTEM_ACTOR, entry=entry, on_behalf_of=approval_decider(request))


def register() -> None:
    from backoffice.workflow.registry import RequestType, register_request_type

    register_request_type(
        RequestType(
            code=REQUEST_TYPE,
            label=gettext_lazy("Journal entry"),
            on_approved=_on_approved,
            on_rejected=_back_to_draft,
            on_withdrawn=_back_to_draft,
            submit_permission="accounting.add_entry",
        )
    )

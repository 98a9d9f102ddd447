"""Approved expense claims (workflow) post to the ledger.

Registered on ``workflow.hooks.on_expense_claim_approved`` from AccountingConfig.ready;
workflow never imports accounting. The entry (phiếu kế toán, general journal,
dated the day of the approval):

    Dr expense account per category (642 on Circular 99 books, 6422 on Circular 133)
    Dr 1331 deductible VAT (lines with VAT)
        Cr 3388 other payables (owed to the claimant until paid)

Every account is configurable per company in ``company.settings["accounting"]
["expense_claim_accounts"]`` (keys: ``default``, a category such as ``travel``,
``vat``, ``payable``). If the books refuse the entry (period closed or locked,
account missing) the approval still stands: the claim stays "approved", an
audit event says why, and ``post_approved_claims`` (desk action / CLI) posts it
later.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from backoffice.accounting import services
from backoffice.accounting.models import EntrySource
from backoffice.core.audit import audit_record
from backoffice.core.exceptions import ApplicationError

# The system actor the entry is posted under: the approval (which includes the
# chief accountant's step by default) is the authority, not the approver's role.
SYSTEM_ACTOR = "workflow:expense"

DEFAULT_ACCOUNTS = {
    "tt99": {"default": "642", "vat": "1331", "payable": "3388"},
    "tt133": {"default": "6422", "vat": "1331", "payable": "3388"},
    "none": {"default": "642", "vat": "1331", "payable": "3388"},
}


def expense_accounts(company: Any) -> dict[str, str]:
    accounts = dict(DEFAULT_ACCOUNTS.get(company.chart, DEFAULT_ACCOUNTS["tt99"]))
    configured = (company.settings or {}).get("accounting", {}).get("expense_claim_accounts", {})
    accounts.update({k: str(v) for k, v in configured.items() if v})
    return accounts


def expense_claim_lines(claim: Any) -> list[services.LineInput]:
    """Debits per expense account and department, VAT, and one credit to the payable."""
    accounts = expense_accounts(claim.company)
    debits: dict[str, Decimal] = defaultdict(Decimal)
    vat = Decimal(0)
    for line in claim.lines.all():
        debits[accounts.get(line.category, accounts["default"])] += line.amount
        vat += line.vat_amount
    label = claim.title[:200]
    lines = [
        services.LineInput(
            account=code, debit=amount, description=label, department=claim.department
        )
        for code, amount in sorted(debits.items())
    ]
    if vat:
        lines.append(services.LineInput(account=accounts["vat"], debit=vat, description=label))
    total = sum(debits.values(), Decimal(0)) + vat
    lines.append(services.LineInput(account=accounts["payable"], credit=total, description=label))
    return lines


def post_expense_claim(*, claim: Any, actor: Any) -> Any | None:
    """Post one approved claim; return the entry, or None when the books refused it."""
    from backoffice.workflow.services import expense_claim_mark_posted

    company = claim.company
    try:
        with transaction.atomic():
            entry = services.entry_create(
                actor=SYSTEM_ACTOR,
                company=company,
                date=timezone.localdate(),
                description=f"{claim.title} — {claim.requester}"[:500],
                lines=expense_claim_lines(claim),
                partner=str(claim.requester)[:200],
                reference=str(claim.public_id),
                source=EntrySource.EXPENSE,
                idempotency_key=f"expense-claim:{claim.public_id}",
                post=True,
                on_behalf_of=actor,  # a closed period needs someone who may post there
            )
    except ApplicationError as exc:
        audit_record(
            event_type="EXPENSE_CLAIM_POSTING_FAILED",
            actor=actor,
            company=company,
            target=claim,
            after={"code": exc.code, "message": exc.message},
        )
        return None
    expense_claim_mark_posted(actor=actor, company=company, claim=claim, reference=entry.number)
    return entry


def on_expense_claim_approved(*, claim: Any, actor: Any) -> None:
    post_expense_claim(claim=claim, actor=actor)


def post_approved_claims(*, company: Any, actor: Any) -> list[Any]:
    """Post every approved claim still waiting (after a refusal by the books)."""
    from backoffice.workflow.models import DocState, ExpenseClaim

    entries = []
    for claim in ExpenseClaim.objects.filter(company=company, state=DocState.APPROVED):
        entry = post_expense_claim(claim=claim, actor=actor)
        if entry is not None:
            entries.append(entry)
    return entries

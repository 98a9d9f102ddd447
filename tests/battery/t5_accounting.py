"""T5 seed for the accounting API: the fuzzing administrator also keeps the books
(chief accountant), the company has its chart and journals, and there is one
entry for each operation addressed by id: a draft to delete (``entry_id``), a
draft to post (``draft_id``) and a posted entry to reverse (``posted_id``)."""

from __future__ import annotations


def seed(company, admin):
    from decimal import Decimal

    from django.utils import timezone

    from backoffice.accounting import services
    from backoffice.accounting.models import Account
    from backoffice.core.enums import Role
    from backoffice.core.models import Membership

    Membership.objects.create(user=admin, company=company, role=Role.CHIEF_ACCOUNTANT)
    services.books_create(actor=None, company=company)

    def entry(post=False):
        return services.entry_create(
            actor=None,
            company=company,
            date=timezone.localdate(),
            description=f"T5 {company.code}",
            lines=[
                services.LineInput(account="642", debit=Decimal(1)),
                services.LineInput(account="1111", credit=Decimal(1)),
            ],
            post=post,
        )

    to_delete, to_post, to_reverse = entry(), entry(), entry(post=True)
    account = Account.objects.get(company=company, code="1111")
    ids = {
        "account_id": account.public_id,
        "entry_id": to_delete.public_id,
        "draft_id": to_post.public_id,
        "posted_id": to_reverse.public_id,
    }
    return ids, set()


# Random lines do not balance; the accounting API tests post balanced entries.
NO_2XX_EXPECTED = {
    "POST /api/v1/accounting/entries": "random lines never balance",
    "POST /api/v1/accounting/entries/{draft_id}/submit": "needs a journal-entry approval policy",
}

"""Notifications: a row in the in-app bell, and an e-mail sent after commit."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django.utils import timezone

from backoffice.core.models import Company, Notification, User


def notify(
    *, user: User, company: Company, title: str, body: str = "", url: str = "", email: bool = False
) -> Notification:
    note = Notification.objects.create(
        user=user, company=company, title=title[:200], body=body, url=url
    )
    if email and user.email:

        def _send() -> None:
            from backoffice.core.tasks import send_mail_task

            send_mail_task.enqueue(subject=title, body=body, recipients=[user.email])

        transaction.on_commit(_send)
    return note


def notification_mark_read(
    *, user: User, company: Company, public_ids: list[UUID] | None = None
) -> int:
    """Mark the user's notifications read (all unread ones when ``public_ids`` is None)."""
    qs = Notification.objects.filter(user=user, company=company, read_at__isnull=True)
    if public_ids is not None:
        qs = qs.filter(public_id__in=public_ids)
    return qs.update(read_at=timezone.now())

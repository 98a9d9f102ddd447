"""Candidates: merging a duplicate into the candidate that is kept.

The duplicate's applications (with their CVs, interviews and offers) move to
the kept candidate; the kept one takes what it lacks from the duplicate
(phone, e-mail, province, CV text, the longer consent); the duplicate is
emptied of personal data and points to the kept one (``merged_into``), so a
link to it still resolves. Audited (``CANDIDATE_MERGED``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, ValidationFailed
from backoffice.recruitment import screening
from backoffice.recruitment.models import Application, Candidate
from backoffice.recruitment.services.common import authorise, same_company

MANAGE = "recruitment.manage_application"
FILLED = ("email", "email_index", "phone", "phone_index", "province", "cv_text")


@transaction.atomic
def candidate_merge(*, actor: Any, keep: Candidate, duplicate: Candidate) -> Candidate:
    authorise(actor, keep.company, MANAGE)
    same_company(keep.company, duplicate)
    if keep.pk == duplicate.pk:
        raise ValidationFailed(_("A candidate cannot be merged into itself."), code="same")
    locked = {c.pk: c for c in Candidate.objects.select_for_update().filter(
        pk__in=[keep.pk, duplicate.pk])}  # fmt: skip
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if keep.merged_into_id or duplicate.merged_into_id:
        raise Conflict(_("One of the candidates was already merged."), code="already_merged")
    if keep.anonymised_at or duplicate.anonymised_at:
        raise Conflict(_("An anonymised candidate cannot be merged."), code="anonymised")
    moved = list(
        Application.objects.filter(candidate=duplicate).values_list("public_id", flat=True)
    )
    Application.objects.filter(candidate=duplicate).update(candidate=keep)
    taken = []
    for name in FILLED:
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
            taken.append(name)
    if "cv_text" in taken:
        keep.cv_fingerprint = screening.simhash(keep.cv_text)
    if duplicate.consent_until and (not keep.consent_until
                                    or duplicate.consent_until > keep.consent_until):  # fmt: skip
        keep.consent_until = duplicate.consent_until
        keep.consent_at, keep.consent_version = duplicate.consent_at, duplicate.consent_version
        taken.append("consent")
    if duplicate.note:
        keep.note = "\n".join(x for x in (keep.note, duplicate.note) if x)
    keep.save()
    for name in ("email", "email_index", "phone", "phone_index", "province", "cv_text",
                 "cv_fingerprint", "note", "consent_version"):  # fmt: skip
        setattr(duplicate, name, "")
    duplicate.full_name = ""
    duplicate.consent_at = duplicate.consent_until = None
    duplicate.merged_into = keep
    duplicate.save()
    audit_record(
        event_type="CANDIDATE_MERGED", actor=actor, company=keep.company, target=keep,
        after={"duplicate": str(duplicate.public_id), "applications": [str(x) for x in moved],
               "taken": [x for x in taken if not x.endswith("_index")]},
    )  # fmt: skip
    return keep

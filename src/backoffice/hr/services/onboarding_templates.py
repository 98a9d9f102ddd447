"""Checklist templates: the defaults of ``hr/data/checklists.csv`` for every
company, and the audit trail of the desk's template edits."""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from typing import Any

from django.db import transaction

from backoffice.core.audit import audit_record
from backoffice.core.models import Company
from backoffice.core.selectors import require_perm
from backoffice.hr.models import ChecklistTemplate, ChecklistTemplateItem

CHECKLISTS_CSV = Path(__file__).resolve().parent.parent / "data" / "checklists.csv"
MANAGE = "hr.manage_onboarding"


# --- default templates ---------------------------------------------------------------------
@functools.cache
def default_checklists() -> tuple[dict[str, str], ...]:
    with CHECKLISTS_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(dict(row) for row in csv.DictReader(fh))


def checklist_defaults_create(*, company: Company, actor: Any = None) -> list[ChecklistTemplate]:
    """The default templates of ``hr/data/checklists.csv`` for a company (idempotent:
    a template whose name the company already has is left alone)."""
    made: dict[str, ChecklistTemplate] = {}
    existing = set(ChecklistTemplate.objects.filter(company=company).values_list("name", flat=True))
    for row in default_checklists():
        name = row["template"]
        if name in existing:
            continue
        template = made.get(name)
        if template is None:
            template = made[name] = ChecklistTemplate.objects.create(
                company=company,
                name=name,
                kind=row["kind"],
                for_collaborators=row["for_collaborators"] == "1",
            )
        ChecklistTemplateItem.objects.create(
            template=template,
            order=int(row["order"]),
            area=row["area"],
            title=row["title"],
            assignee_role=row["assignee_role"],
            due_offset_days=int(row["due_working_days"]),
            blocks_close=row["blocks_close"] == "1",
        )
    for template in made.values():
        audit_record(
            event_type="CHECKLIST_TEMPLATE_CREATED",
            actor=actor if actor is not None else "system",
            company=company,
            target=template,
            after=template_snapshot(template),
        )
    return list(made.values())


def template_snapshot(template: ChecklistTemplate) -> dict[str, Any]:
    return {
        "name": template.name,
        "kind": template.kind,
        "department": template.department_id,
        "position": template.position_id,
        "for_collaborators": template.for_collaborators,
        "is_active": template.is_active,
        "items": [
            [i.order, i.area, i.title, i.assignee_role, i.due_offset_days, i.blocks_close]
            for i in template.items.all().order_by("order", "id")
        ],
    }


def checklist_template_audit_change(
    *, actor: Any, template: ChecklistTemplate, before: dict[str, Any] | None
) -> None:
    """The desk saved a template and its items."""
    require_perm(actor, MANAGE)
    audit_record(
        event_type="CHECKLIST_TEMPLATE_UPDATED" if before else "CHECKLIST_TEMPLATE_CREATED",
        actor=actor,
        company=template.company,
        target=template,
        before=before,
        after=template_snapshot(template),
    )


@transaction.atomic
def checklist_template_delete(*, actor: Any, template: ChecklistTemplate) -> None:
    """Delete a template; cases opened from it keep their tasks (template set to empty)."""
    require_perm(actor, MANAGE)
    audit_record(
        event_type="CHECKLIST_TEMPLATE_DELETED",
        actor=actor,
        company=template.company,
        target=template,
        before=template_snapshot(template),
    )
    template.delete()

"""The ``workflow.tick`` job kind: recurrence and escalation, startable from the desk."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from backoffice.core.jobs import job_kind


def tick_job(*, progress: Any, company: Any, actor: Any = None, **params: Any) -> dict[str, int]:
    from backoffice.workflow.services import workflow_tick

    progress.update(0, 1)
    result = workflow_tick(company=company)
    progress.update(1, 1)
    return result


def register() -> None:
    job_kind(
        "workflow.tick", permission="workflow.run_tick", label=_("Task recurrence and escalation")
    )(tick_job)

"""Background jobs with progress (django-tasks + the ORM queue).

A job kind is a function registered with :func:`job_kind`; it receives a
:class:`Progress` and the job's parameters and returns a JSON-able result.
``job_enqueue`` stores a Job row and, on commit, enqueues the thin
``run_job`` task; the worker (``db_worker``, started by ``backoffice serve``)
runs it. Progress is written in autocommit, so the desk and the CLI see it
while the job runs.

Who sees a job (``selectors.job_list``): a job's parameters, message, error and
result carry its kind's data (a journal import's file name, amounts and account
codes), so each kind declares the permission needed to read the jobs of others:
``view_permission``, by default the ``permission`` needed to start one. A user
sees the jobs they started, plus, with ``core.view_job``, the company's jobs of
the kinds whose permission they hold. A kind without a permission, or a kind no
longer registered, is shown only to whoever started the job and to superusers
(deny by default).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.enums import JobStatus
from backoffice.core.exceptions import ApplicationError, ValidationFailed
from backoffice.core.models import Company, Job, User

log = logging.getLogger("backoffice.jobs")

JobFunc = Callable[..., Any]
_KINDS: dict[str, tuple[JobFunc, str | None]] = {}
_LABELS: dict[str, Any] = {}
_VIEW_PERMISSIONS: dict[str, str | None] = {}


def job_kind(
    name: str,
    *,
    permission: str | None = None,
    label: Any = None,
    view_permission: str | None = None,
) -> Callable[[JobFunc], JobFunc]:
    """Register a job function; ``label`` (translatable) is what people see.

    ``permission``: needed to start one. ``view_permission`` (default:
    ``permission``): needed, with ``core.view_job``, to see the jobs others started.
    """

    def register(func: JobFunc) -> JobFunc:
        _KINDS[name] = (func, permission)
        _LABELS[name] = label or name
        _VIEW_PERMISSIONS[name] = view_permission or permission
        return func

    return register


def job_kinds_visible_to(user: Any) -> list[str]:
    """Registered kinds whose jobs (started by anyone) ``user`` may see in their
    active company: ``core.view_job`` and the kind's view permission."""
    if not user.has_perm("core.view_job"):
        return []
    return sorted(kind for kind, perm in _VIEW_PERMISSIONS.items() if perm and user.has_perm(perm))


def job_label(kind: str) -> str:
    return str(_LABELS.get(kind, kind))


def registered_kinds() -> list[str]:
    return sorted(_KINDS)


class Progress:
    """Handed to a job function; ``update`` is cheap enough to call per chunk."""

    def __init__(
        self, job: Job | None = None, callback: Callable[[int, int, str], None] | None = None
    ):
        self.job = job
        self.callback = callback

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        if self.job is not None:
            fields: dict[str, Any] = {"progress_done": done, "updated_at": timezone.now()}
            if total is not None:
                fields["progress_total"] = total
            if message:
                fields["message"] = message[:300]
            Job.objects.filter(pk=self.job.pk).update(**fields)
        if self.callback is not None:
            self.callback(done, total or 0, message)


@transaction.atomic
def job_enqueue(
    *, actor: User | None, company: Company, kind: str, params: dict[str, Any] | None = None
) -> Job:
    if kind not in _KINDS:
        raise ValidationFailed(_("Unknown job kind: %(k)s.") % {"k": kind}, code="unknown_job")
    func, permission = _KINDS[kind]
    if permission and actor is not None and not actor.has_perm(permission):
        from backoffice.core.exceptions import PermissionDenied

        raise PermissionDenied(_("You do not have permission to do this."))
    job = Job.objects.create(company=company, created_by=actor, kind=kind, params=params or {})
    audit_record(
        event_type="JOB_ENQUEUED", actor=actor, company=company, target=job, after={"kind": kind}
    )

    def _enqueue() -> None:
        from backoffice.core.tasks import run_job

        run_job.enqueue(job_id=job.pk)

    transaction.on_commit(_enqueue)
    return job


def job_run(*, job_id: int, callback: Callable[[int, int, str], None] | None = None) -> Job:
    """Run a queued job now (called by the worker task, or by the CLI in process)."""
    updated = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.get(pk=job_id)
    if not updated:
        return job  # already taken by another worker, or finished: idempotent
    func, _perm = _KINDS[job.kind]
    try:
        result = func(
            progress=Progress(job, callback),
            company=job.company,
            actor=job.created_by,
            **job.params,
        )
    except Exception as exc:  # a job's failure is data, shown to the user
        message = exc.message if isinstance(exc, ApplicationError) else str(exc)
        log.warning("job %s (%s) failed: %s", job.pk, job.kind, message)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error=message[:2000] or traceback.format_exc()[-2000:],
            finished_at=timezone.now(),
        )
    else:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.SUCCEEDED,
            result=result,
            finished_at=timezone.now(),
            # A finished job is complete, whatever its last progress report said.
            progress_done=Greatest(F("progress_done"), F("progress_total")),
        )
    job.refresh_from_db()
    if job.created_by is not None:
        from backoffice.core.notifications import notify

        title = (
            _("Job finished: %(k)s")
            if job.status == JobStatus.SUCCEEDED
            else _("Job failed: %(k)s")
        ) % {"k": job_label(job.kind)}
        notify(
            user=job.created_by,
            company=job.company,
            title=title,
            body=job.error or job.message,
            url=f"/desk/core/job/{job.pk}/change/",
        )
    return job

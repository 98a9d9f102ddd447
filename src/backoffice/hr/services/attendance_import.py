"""Time-clock import (CSV): ``employee_code,date,check_in,check_out[,note]``.

Dates ISO (2026-11-27) or dd/mm/yyyy; times HH:MM (seconds dropped). A check-out
earlier than the check-in is the next morning (night shift). All-or-nothing:
every row is checked first and :class:`AttendanceImportFailed` lists each error
with its row number (the header is row 1, as a spreadsheet shows it); only a
clean file is stored, in one transaction, with one audit event. A row for a day
already recorded replaces it. Large files run as a background job with progress
(:func:`attendance_import_enqueue`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import PermissionDenied, ValidationFailed
from backoffice.core.selectors import require_perm
from backoffice.hr.calculations.attendance import DaySplit, ScheduleSpec, parse_date, parse_time
from backoffice.hr.enums import AttendanceSource
from backoffice.hr.models import AttendanceRecord, Employee
from backoffice.hr.selectors.attendance import default_schedule, schedule_for

COLUMNS = ("employee_code", "date", "check_in", "check_out")
OPTIONAL = ("note",)
JOB_KIND = "hr.attendance_import"
# Above this size the desk and the API run the import as a background job.
LARGE_FILE_BYTES = 256 * 1024
MAX_FILE_BYTES = 100 * 1024 * 1024
CHUNK = 1000


@dataclass(frozen=True)
class RowError:
    row: int
    message: str


class AttendanceImportFailed(ValidationFailed):
    """Nothing was stored; ``extra["errors"]`` lists every problem with its row."""

    code = "import_failed"

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=lambda e: e.row)
        shown = "; ".join(
            _("row %(row)s: %(msg)s") % {"row": e.row, "msg": e.message} for e in self.errors[:10]
        )
        message = ngettext(
            "The file has %(n)d error, nothing was imported: %(list)s",
            "The file has %(n)d errors, nothing was imported: %(list)s",
            len(self.errors),
        ) % {"n": len(self.errors), "list": shown}
        if len(self.errors) > 10:
            message += " " + _("(and %(n)d more)") % {"n": len(self.errors) - 10}
        super().__init__(
            message, extra={"errors": [{"row": e.row, "message": e.message} for e in self.errors]}
        )


def _authorise(actor: Any, company: Any) -> None:
    if isinstance(actor, str):  # the operator at the command line, audited by label
        return
    active = getattr(actor, "active_company", None)
    if active is not None and active.pk != company.pk:
        raise PermissionDenied(_("You are working in another company."))
    require_perm(actor, "hr.manage_attendance")


def _reporter(progress: Any):
    if progress is None:
        return lambda done, total, message="": None
    if hasattr(progress, "update"):
        return lambda done, total, message="": progress.update(done, total, message)
    return progress


def _read(file_bytes: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        text = file_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AttendanceImportFailed(
            [RowError(1, _("the file is not UTF-8 text (save it as CSV UTF-8)"))]
        ) from exc
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    return header, list(reader)


@dataclass
class _Row:
    row: int
    employee: Employee
    date: dt.date
    check_in: dt.time
    check_out: dt.time
    note: str


def _parse(company: Any, header: list[str], records: list[list[str]],
           report: Any) -> tuple[list[_Row], list[RowError]]:  # fmt: skip
    from backoffice.hr.services.attendance import check_employment

    col = {name: header.index(name) for name in (*COLUMNS, *OPTIONAL) if name in header}
    people = {e.code.strip().upper(): e for e in Employee.objects.filter(company=company)}
    errors: list[RowError] = []
    rows: list[_Row] = []
    seen: dict[tuple[int, dt.date], int] = {}
    total = len(records)
    for i, raw in enumerate(records):
        number = i + 2
        if not any(cell.strip() for cell in raw):
            continue

        def cell(name: str, raw: list[str] = raw) -> str:
            j = col.get(name)
            return raw[j].strip() if j is not None and j < len(raw) else ""

        problems: list[str] = []
        code = cell("employee_code")
        employee = people.get(code.upper())
        if not code:
            problems.append(_("employee_code is empty"))
        elif employee is None:
            problems.append(_("no employee with code %(c)s") % {"c": code})
        try:
            day = parse_date(cell("date"))
        except ValueError:
            day = None
            problems.append(
                _("date %(v)s is not a date (2026-11-27 or 27/11/2026)") % {"v": cell("date")}
            )
        times: dict[str, dt.time] = {}
        for name, label in (("check_in", _("check_in")), ("check_out", _("check_out"))):
            try:
                times[name] = parse_time(cell(name))
            except ValueError:
                problems.append(
                    _("%(f)s %(v)s is not a time (HH:MM)") % {"f": label, "v": cell(name) or "—"}
                )
        if len(times) == 2 and times["check_in"] == times["check_out"]:
            problems.append(_("check-in and check-out are the same time"))
        if employee is not None and day is not None:
            try:
                check_employment(employee, day)
            except ValidationFailed as exc:
                problems.append(exc.message)
            first = seen.setdefault((employee.pk, day), number)
            if first != number:
                problems.append(_("the same person and day as row %(r)d") % {"r": first})
        note = cell("note")
        if len(note) > 300:
            problems.append(_("note is longer than 300 characters"))
        errors.extend(RowError(number, p) for p in problems)
        if not problems and employee is not None and day is not None:
            rows.append(_Row(number, employee, day, times["check_in"], times["check_out"], note))
        if i % CHUNK == 0:
            report(i, total, _("Checking"))
    return rows, errors


def attendance_import(
    *, actor: Any, company: Any, file_bytes: bytes, filename: str = "", progress: Any = None
) -> dict[str, Any]:
    """Import a time-clock CSV (see the module's docstring); returns counts.
    ``actor`` may be a label such as ``"cli"`` (the installation's operator)."""
    _authorise(actor, company)
    report = _reporter(progress)
    header, records = _read(file_bytes)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise AttendanceImportFailed(
            [RowError(1, _("missing column(s): %(c)s") % {"c": ", ".join(missing)})]
        )
    total = len(records)
    report(0, total, _("Checking"))
    rows, errors = _parse(company, header, records, report)
    if errors:
        raise AttendanceImportFailed(errors)
    if not rows:
        raise AttendanceImportFailed([RowError(1, _("the file has no rows"))])
    result = _store(actor, company, rows, report, total, filename)
    report(total, total, _("Done"))
    return result


@transaction.atomic
def _store(actor: Any, company: Any, rows: list[_Row], report: Any, total: int,
           filename: str) -> dict[str, Any]:  # fmt: skip
    from backoffice.hr.calculations.attendance import split_day
    from backoffice.hr.services.attendance import day_kind_function, limits_on

    kind_of = day_kind_function()
    default = default_schedule(company)
    kinds: dict[tuple[int | None, dt.date], str] = {}
    limits: dict[dt.date, Any] = {}
    existing = {
        (r.employee_id, r.date): r
        for r in AttendanceRecord.objects.select_for_update().filter(
            company=company,
            employee_id__in={r.employee.pk for r in rows},
            date__range=(min(r.date for r in rows), max(r.date for r in rows)),
        )
    }
    create, update = [], []
    fields = list(DaySplit(kind="working").as_fields())
    now = timezone.now()
    for i, row in enumerate(rows):
        schedule = schedule_for(row.employee, default)
        key = (getattr(schedule, "pk", None), row.date)
        if key not in kinds:
            kinds[key] = kind_of(company, row.date, schedule=schedule)
        if row.date not in limits:
            limits[row.date] = limits_on(company, row.date)
        split = split_day(row.date, row.check_in, row.check_out, kinds[key],
                          ScheduleSpec.of(schedule), limits[row.date])  # fmt: skip
        rec = existing.get((row.employee.pk, row.date))
        if rec is None:
            rec = AttendanceRecord(company=company, employee=row.employee, date=row.date)
            create.append(rec)
        else:
            update.append(rec)
        rec.check_in, rec.check_out = row.check_in, row.check_out
        rec.source, rec.note, rec.updated_at = AttendanceSource.IMPORT, row.note, now
        for name, value in split.as_fields().items():
            setattr(rec, name, value)
        if i % CHUNK == 0:
            report(i, total, _("Storing"))
    AttendanceRecord.objects.bulk_create(create, batch_size=CHUNK)
    AttendanceRecord.objects.bulk_update(
        update, [*fields, "check_in", "check_out", "source", "note", "updated_at"],
        batch_size=CHUNK,
    )  # fmt: skip
    result = {
        "file": filename[:200],
        "rows": len(rows),
        "created": len(create),
        "updated": len(update),
        "employees": len({r.employee.pk for r in rows}),
        "from": min(r.date for r in rows).isoformat(),
        "to": max(r.date for r in rows).isoformat(),
    }
    audit_record(event_type="ATTENDANCE_IMPORTED", actor=actor, company=company,
                 object_type="hr.attendancerecord", object_id=filename[:100] or "import",
                 after=result)  # fmt: skip
    return result


# --- background job -----------------------------------------------------------------------


def _imports_folder() -> Path:
    folder = Path(settings.HOME) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def attendance_import_enqueue(*, actor: Any, company: Any, file_bytes: bytes,
                              filename: str = "") -> Any:  # fmt: skip
    """Store the file in ``BACKOFFICE_HOME/imports`` and import it in a job."""
    from backoffice.core.jobs import job_enqueue

    _authorise(actor, company)
    if len(file_bytes) > MAX_FILE_BYTES:
        raise ValidationFailed(_("The file is too large."), code="file_too_large")
    path = _imports_folder() / f"attendance-{uuid.uuid4().hex}.csv"
    path.write_bytes(file_bytes)
    try:
        return job_enqueue(actor=actor, company=company, kind=JOB_KIND,
                           params={"path": str(path), "filename": filename[:200]})  # fmt: skip
    except Exception:
        path.unlink(missing_ok=True)
        raise


def attendance_import_job(*, progress: Any, company: Any, actor: Any, path: str,
                          filename: str = "") -> dict[str, Any]:  # fmt: skip
    """The job function (registered in ``hr.setup.attendance``)."""
    file = Path(path)
    if file.parent != _imports_folder():
        raise ValidationFailed(_("The import file is not in the imports folder."))
    if actor is not None:
        actor.active_company = company
        actor.__dict__.pop("_company_perm_cache", None)
    try:
        data = file.read_bytes()
        try:
            return attendance_import(actor=actor, company=company, file_bytes=data,
                                     filename=filename, progress=progress)  # fmt: skip
        except AttendanceImportFailed as exc:
            if len(exc.errors) > 10:  # the message names the first ten
                exc.message = "\n".join(
                    [exc.message]
                    + [_("row %(row)s: %(msg)s") % {"row": e.row, "msg": e.message}
                       for e in exc.errors[10:200]]
                )  # fmt: skip
            raise
    finally:
        file.unlink(missing_ok=True)

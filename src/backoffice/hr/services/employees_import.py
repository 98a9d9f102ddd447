"""Import people from XLSX or CSV (all or nothing) and export them (identifiers masked).

The first row holds the column names (:data:`COLUMNS`; only ``full_name`` and
``hire_date`` are required, unknown columns are refused). Rows are numbered as
the spreadsheet shows them: the header is row 1, the first person row 2. Every
row is checked by ``employee_create``; if any row fails nothing is saved and
every error is returned with its row number (``extra["errors"]``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError, ValidationFailed
from backoffice.core.models import Company, Department, Position
from backoffice.core.selectors import require_perm
from backoffice.hr.enums import Gender, PersonKind, WorkCondition
from backoffice.hr.models import Employee
from backoffice.hr.services.employees import employee_create

COLUMNS = [
    "code", "full_name", "kind", "date_of_birth", "gender", "email", "phone",
    "permanent_address", "permanent_province", "current_address", "current_province",
    "national_id", "tax_code", "social_insurance_no", "bank_account", "bank_name",
    "department", "position", "manager", "hire_date", "work_condition", "salary",
]  # fmt: skip
REQUIRED = ("full_name", "hire_date")
MAX_ROWS = 20_000
MAX_ERRORS = 200


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """Rows of cells as text from an .xlsx or a UTF-8 .csv file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # a damaged or non-XLSX file
            raise ValidationFailed(_("The file is not a readable XLSX workbook."),
                                   code="bad_file") from exc  # fmt: skip
        ws = wb.worksheets[0]
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append([_cell(v) for v in row])
        wb.close()
        return rows
    if name.endswith((".csv", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(_("The file is not UTF-8 text (save it as CSV UTF-8)."),
                                   code="bad_encoding") from exc  # fmt: skip
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    raise ValidationFailed(_("Upload an .xlsx or .csv file."), code="bad_file_type")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(text: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(_("%(v)s is not a date (dd/mm/yyyy or yyyy-mm-dd).") % {"v": text})


def parse_amount(text: str) -> Decimal:
    """15000000, 15.000.000 (Vietnamese grouping) or 15,000,000."""
    text = "".join(text.split())
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    return Decimal(text.replace(",", ""))


def _choice(text: str, choices: Any, what: str) -> str:
    text = (text or "").strip().lower()
    if not text:
        return ""
    for value, label in choices.choices:
        if text in (value, str(label).lower()):
            return value
    raise ValueError(_("%(v)s is not a valid %(what)s.") % {"v": text, "what": what})


def _row_values(row: dict[str, str], company: Company, refs: dict[str, dict]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in ("code", "full_name", "email", "phone", "permanent_address",
                "permanent_province", "current_address", "current_province", "national_id",
                "tax_code", "social_insurance_no", "bank_account", "bank_name"):  # fmt: skip
        if row.get(key):
            values[key] = row[key]
    for key in ("date_of_birth", "hire_date"):
        if row.get(key):
            values[key] = parse_date(row[key])
    if row.get("kind"):
        values["kind"] = _choice(row["kind"], PersonKind, _("kind"))
    if row.get("gender"):
        values["gender"] = _choice(row["gender"], Gender, _("gender"))
    if row.get("work_condition"):
        values["work_condition"] = _choice(row["work_condition"], WorkCondition,
                                           _("working condition"))  # fmt: skip
    for key in ("department", "position"):
        code = row.get(key, "")
        if code:
            obj = refs[key].get(code)
            if obj is None:
                raise ValueError(_("No %(what)s with code %(c)s.") % {"what": key, "c": code})
            values[key] = obj
    if row.get("salary"):
        try:
            values["salary"] = parse_amount(row["salary"])
        except InvalidOperation:
            raise ValueError(_("%(v)s is not an amount.") % {"v": row["salary"]}) from None
    return values


def employees_import(
    *,
    actor: Any,
    company: Company,
    data: bytes,
    filename: str,
    progress: Callable[[int, int], Any] | None = None,
) -> dict[str, Any]:
    """Create every person of the file, or none. Returns {"created": n, "codes": [...]}."""
    require_perm(actor, "hr.add_employee")
    table = [r for r in read_table(data, filename)]
    if not table:
        raise ValidationFailed(_("The file is empty."), code="empty_file")
    header = [h.strip().lower() for h in table[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown or missing:
        parts = []
        if unknown:
            parts.append(_("unknown columns: %(c)s") % {"c": ", ".join(unknown)})
        if missing:
            parts.append(_("missing columns: %(c)s") % {"c": ", ".join(missing)})
        raise ValidationFailed(
            _("Row 1 (header): %(p)s.") % {"p": "; ".join(parts)}, code="bad_header",
            extra={"errors": [{"row": 1, "message": "; ".join(parts)}], "columns": COLUMNS},
        )  # fmt: skip
    body = [(n, r) for n, r in enumerate(table[1:], start=2) if any(c.strip() for c in r)]
    if len(body) > MAX_ROWS:
        raise ValidationFailed(_("At most %(n)d people per file.") % {"n": MAX_ROWS},
                               code="too_many_rows")  # fmt: skip
    refs = {
        "department": {d.code: d for d in Department.objects.filter(company=company)},
        "position": {p.code: p for p in Position.objects.filter(company=company)},
    }
    errors: list[dict[str, Any]] = []
    created: list[tuple[int, Employee, str]] = []
    with transaction.atomic():
        for done, (number, cells) in enumerate(body, start=1):
            row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
            missing_values = [c for c in REQUIRED if not row.get(c)]
            try:
                if missing_values:
                    raise ValueError(_("%(c)s is required.") % {"c": ", ".join(missing_values)})
                values = _row_values(row, company, refs)
                with transaction.atomic():
                    emp = employee_create(actor=actor, company=company, **values)
                created.append((number, emp, row.get("manager", "")))
            except ApplicationError as exc:
                errors.append({"row": number, "message": _field_message(exc)})
            except ValueError as exc:
                errors.append({"row": number, "message": str(exc)})
            if len(errors) >= MAX_ERRORS:
                break
            if progress and done % 100 == 0:
                progress(done, len(body))
        if not errors:
            _link_managers(company, created, errors)
        if errors:
            transaction.set_rollback(True)
    if errors:
        first = errors[0]
        raise ValidationFailed(
            _("Nothing was imported: %(n)d rows have errors (first: row %(row)s: %(msg)s).")
            % {"n": len(errors), "row": first["row"], "msg": first["message"]},
            code="import_failed",
            extra={"errors": errors},
        )
    if progress:
        progress(len(body), len(body))
    return {"created": len(created), "codes": [e.code for _n, e, _m in created]}


def _field_message(exc: ApplicationError) -> str:
    fields = exc.extra.get("fields") if isinstance(exc.extra, dict) else None
    if fields and not exc.code.startswith(("bad_", "national_id")):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items())
    return exc.message


def _link_managers(company: Company, created: list, errors: list[dict[str, Any]]) -> None:
    codes = dict(Employee.objects.filter(company=company).values_list("code", "pk"))
    for number, emp, manager_code in created:
        if not manager_code:
            continue
        pk = codes.get(manager_code)
        if pk is None or pk == emp.pk:
            errors.append({"row": number, "message": _("No person with code %(c)s to report to.")
                           % {"c": manager_code}})  # fmt: skip
            continue
        Employee.objects.filter(pk=emp.pk).update(manager_id=pk)


# --- export ---------------------------------------------------------------------------
EXPORT_COLUMNS = [
    "code", "full_name", "kind", "status", "department_code", "position_code", "manager_code",
    "hire_date", "termination_date", "email", "phone", "current_province", "national_id",
    "tax_code", "social_insurance_no", "bank_account", "bank_name",
]  # fmt: skip


def export_rows(rows: Iterable[dict[str, Any]]) -> list[list[Any]]:
    out = []
    for r in rows:
        out.append([
            r[c].strftime("%d/%m/%Y") if isinstance(r.get(c), dt.date) else (r.get(c) or "")
            for c in EXPORT_COLUMNS
        ])  # fmt: skip
    return out


def employees_export(*, rows: Iterable[dict[str, Any]], fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, extension) of masked rows (``selectors.employee_row``)."""
    data = export_rows(rows)
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("employees")
        ws.append(EXPORT_COLUMNS)
        for row in data:
            ws.append(row)
        buf = io.BytesIO()
        wb.save(buf)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return buf.getvalue(), ctype, "xlsx"
    if fmt == "csv":
        buf_s = io.StringIO()
        writer = csv.writer(buf_s)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(data)
        return ("\ufeff" + buf_s.getvalue()).encode(), "text/csv; charset=utf-8", "csv"
    raise ValidationFailed(_("Export format is xlsx or csv."), code="bad_format")

"""Payroll runs: create, compute, cancel, mark paid, one-off items.

State machine: draft -> computed -> pending (approval engine) -> approved ->
paid -> posted; draft/computed may be recomputed or cancelled; a rejected or
withdrawn approval returns the run to computed; after approval a correction is
an adjustment run (:mod:`.runs_adjust`). Submitting and the approval callbacks
live in :mod:`.runs_approval`, the ledger posting in :mod:`.runs_posting`.

Every write checks ``payroll.manage_run`` in the actor's company, runs in one
transaction and records an audit event (never an amount of a person).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.collector import collector_paused
from backoffice.core.exceptions import Conflict, NotFound, ValidationFailed
from backoffice.core.models import Company
from backoffice.payroll.calculations import compute_month, result_as_dict
from backoffice.payroll.calculations.types import MonthResult
from backoffice.payroll.enums import ItemCategory, RunKind, RunState, TaxTreatment
from backoffice.payroll.models import PayrollRun, Payslip, RunItem
from backoffice.payroll.rules import month_rules_date, rules_for
from backoffice.payroll.services.common import authorise, dec
from backoffice.payroll.services.gather import Person, gather_month

MANAGE = "payroll.manage_run"
ZERO = Decimal(0)
EDITABLE = (RunState.DRAFT, RunState.COMPUTED)
# Sums kept in run.totals (plaintext aggregates; no person's amount).
TOTAL_KEYS = (
    "base_pay", "overtime_pay", "allowances", "bonuses", "gross", "ee_si", "ee_hi", "ee_ui",
    "insurance_ee", "union_dues", "pit", "other_deductions", "net", "er_si", "er_accident",
    "er_hi", "er_ui", "insurance_er", "union_fund", "total_cost",
)  # fmt: skip
DEPT_KEYS = ("gross", "employer", "net", "total_cost")


def _figures(r: MonthResult) -> dict[str, Decimal]:
    return {
        "base_pay": r.base_pay, "overtime_pay": r.overtime_pay,
        "allowances": r.allowances_taxable + r.allowances_exempt, "bonuses": r.bonuses,
        "gross": r.gross, "ee_si": r.si, "ee_hi": r.hi, "ee_ui": r.ui,
        "insurance_ee": r.insurance_total, "union_dues": r.union_dues, "pit": r.pit,
        "other_deductions": r.other_deductions, "net": r.net, "er_si": r.er_si,
        "er_accident": r.er_accident, "er_hi": r.er_hi, "er_ui": r.er_ui,
        "insurance_er": r.er_si + r.er_hi + r.er_ui, "union_fund": r.er_union_fund,
        "total_cost": r.total_cost,
    }  # fmt: skip


def period_label(run: PayrollRun) -> str:
    return f"{run.month:02d}/{run.year}"


def _snapshot(run: PayrollRun) -> dict[str, Any]:
    return {
        "period": f"{run.year}-{run.month:02d}", "kind": run.kind, "state": run.state,
        "adjusts": str(run.adjusts.public_id) if run.adjusts is not None else None,
        "headcount": (run.totals or {}).get("headcount"),
    }  # fmt: skip


def lock(run: PayrollRun, company: Company | None = None) -> PayrollRun:
    if company is not None and run.company_id != company.pk:
        raise NotFound(_("%(what)s not found.") % {"what": _("Payroll run")})
    return PayrollRun.objects.select_for_update().select_related("company").get(pk=run.pk)


def _require_state(run: PayrollRun, allowed: tuple[str, ...], code: str, message: str) -> None:
    if run.state not in allowed:
        raise Conflict(message, code=code, extra={"state": run.state})


def _check_month(year: Any, month: Any) -> tuple[int, int]:
    try:
        y, m = int(year), int(month)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Not a valid month."), code="bad_month") from None
    if not (1 <= m <= 12 and 2000 <= y <= 2100):
        raise ValidationFailed(_("Not a valid month."), code="bad_month")
    return y, m


@transaction.atomic
def run_create(
    *, actor: Any, company: Company, year: Any, month: Any, kind: str = RunKind.REGULAR,
    adjusts: PayrollRun | None = None, title: str = "", note: str = "",
) -> PayrollRun:  # fmt: skip
    """A draft run for the month; one regular run per company-month (cancelled aside)."""
    authorise(actor, company, MANAGE)
    y, m = _check_month(year, month)
    if kind not in RunKind.values:
        raise ValidationFailed(_("Unknown kind of run."), code="bad_kind")
    if kind == RunKind.ADJUSTMENT and adjusts is None:
        raise ValidationFailed(
            _("An adjustment names the run it corrects."), code="adjusts_required"
        )
    if (
        kind == RunKind.REGULAR
        and PayrollRun.objects.filter(company=company, year=y, month=m, kind=RunKind.REGULAR)
        .exclude(state=RunState.CANCELLED)
        .exists()
    ):
        raise Conflict(
            _("The month %(p)s already has a payroll run.") % {"p": f"{m:02d}/{y}"},
            code="run_exists",
        )
    run = PayrollRun(
        company=company, year=y, month=m, kind=kind, adjusts=adjusts, title=title[:200],
        note=note, created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError as exc:  # a concurrent create of the same month
        raise Conflict(_("The month already has a payroll run."), code="run_exists") from exc
    audit_record(
        event_type="PAYROLL_RUN_CREATED", actor=actor, company=company, target=run,
        after=_snapshot(run),
    )  # fmt: skip
    return run


def compute_people(people: list[Person], rules: Any) -> list[tuple[Person, MonthResult]]:
    return [(p, compute_month(p.inp, rules)) for p in people]


def totals_of(rows: list[tuple[Person, MonthResult]]) -> dict[str, Any]:
    """Aggregates of a run: sums by kind and by department (strings, whole đồng)."""
    sums = dict.fromkeys(TOTAL_KEYS, ZERO)
    by_dept: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"name": "", "headcount": 0, **dict.fromkeys(DEPT_KEYS, ZERO)}
    )
    for person, result in rows:
        fig = _figures(result)
        for key in TOTAL_KEYS:
            sums[key] += fig[key]
        dept = by_dept[person.department.code if person.department else ""]
        dept["name"] = person.department.name if person.department else ""
        dept["headcount"] += 1
        dept["gross"] += fig["gross"]
        dept["employer"] += fig["insurance_er"] + fig["union_fund"]
        dept["net"] += fig["net"]
        dept["total_cost"] += fig["total_cost"]
    return {
        "headcount": len(rows),
        **{k: str(v) for k, v in sums.items()},
        "by_department": {
            code: {k: (str(v) if isinstance(v, Decimal) else v) for k, v in d.items()}
            for code, d in sorted(by_dept.items())
        },
    }


def payslip_document(run: PayrollRun, person: Person, result: MonthResult,
                     **extra: Any) -> str:  # fmt: skip
    """The payslip's encrypted JSON: inputs, result, the person as of the run
    (compact: no spaces after the separators)."""
    return json.dumps(
        {
            "period": f"{run.year}-{run.month:02d}",
            "kind": run.kind,
            "employee": person.snapshot(),
            "inputs": person.inputs,
            "result": result_as_dict(result),
            **extra,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def save_payslips(run: PayrollRun, rows: list[tuple[Person, MonthResult, str]]) -> None:
    """Replace the run's payslips. Payslip is a plain model (no ``save()``
    override, no signal), so the rows go in as parameter tuples (a run writes
    10,000): the values ``bulk_create`` would store, each prepared by its field
    (the same UUIDs, timestamps, decimals and ciphertext), without building the
    model instances and the ORM's per-row query."""
    Payslip.objects.filter(run=run).delete()
    now = timezone.now()
    _insert_rows(
        Payslip,
        {"created_at": now, "updated_at": now, "company_id": run.company_id,
         "run_id": run.pk, "emailed_at": None},
        ("public_id", "employee_id", "department_id", "standard_days", "paid_days", "data"),
        (
            (uuid.uuid4(), p.employee.pk, p.department.pk if p.department else None,
             p.inp.standard_days, sum((s.paid_days for s in p.inp.segments), ZERO), doc)
            for p, _r, doc in rows
        ),
    )  # fmt: skip


def _insert_rows(model: type[Model], constants: dict[str, Any], columns: tuple[str, ...],
                 rows: Iterable[tuple[Any, ...]]) -> None:  # fmt: skip
    """INSERT ``rows`` (values of the fields ``columns``, by attname) of a plain
    model, with ``constants`` in the other fields (every concrete field but the
    auto primary key must be given), in multi-row statements. Each value is
    prepared by its field (``get_db_prep_save``), the constants once."""
    fields = {f.attname: f for f in model._meta.concrete_fields if f is not model._meta.auto_field}
    if set(fields) != {*constants, *columns}:
        raise ValueError(f"{model.__name__}: give every field but the primary key")
    qn = connection.ops.quote_name
    names = [*columns, *constants]
    fixed = [fields[n].get_db_prep_save(v, connection) for n, v in constants.items()]
    per_row = [fields[n] for n in columns]
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608  # nosec B608 - model names
        qn(model._meta.db_table), ", ".join(qn(str(fields[n].column)) for n in names)
    )
    row = "(" + ", ".join(["%s"] * len(names)) + ")"
    per_statement = max(1, 900 // len(names))  # SQLite's bound parameters
    params: list[Any] = []
    count = 0
    with connection.cursor() as cur:
        for values in rows:
            params.extend(
                f.get_db_prep_save(v, connection) for f, v in zip(per_row, values, strict=True)
            )
            params.extend(fixed)
            count += 1
            if count == per_statement:
                cur.execute(head + ", ".join([row] * count), params)
                params, count = [], 0
        if count:
            cur.execute(head + ", ".join([row] * count), params)


@transaction.atomic
def run_compute(*, actor: Any, run: PayrollRun) -> PayrollRun:
    """(Re)compute every payslip of a draft or computed run with the HR data and
    the rules in force for the month; replaces the payslips and the totals."""
    run = lock(run)
    authorise(actor, run.company, MANAGE)
    _require_state(
        run, EDITABLE, "not_editable",
        _("Only a draft or computed run can be computed; after approval, correct it with an "
          "adjustment run."),
    )  # fmt: skip
    if run.kind == RunKind.ADJUSTMENT:
        from backoffice.payroll.services.runs_adjust import adjustment_compute

        adjustment_compute(run)
    else:
        rules = rules_for(month_rules_date(run.year, run.month), run.company)
        with collector_paused():
            people = gather_month(run.company, run.year, run.month, item_runs=[run.pk])
            rows = compute_people(people, rules)
            save_payslips(run, [(p, r, payslip_document(run, p, r)) for p, r in rows])
            run.totals = totals_of(rows)
    run.state = RunState.COMPUTED
    run.computed_at = timezone.now()
    run.save(update_fields=["state", "computed_at", "totals", "updated_at"])
    audit_record(
        event_type="PAYROLL_RUN_COMPUTED", actor=actor, company=run.company, target=run,
        after=_snapshot(run),
    )  # fmt: skip
    return run


@transaction.atomic
def run_cancel(*, actor: Any, run: PayrollRun) -> PayrollRun:
    """Cancel a run before approval (its payslips are deleted)."""
    run = lock(run)
    authorise(actor, run.company, MANAGE)
    if run.state == RunState.PENDING:
        raise Conflict(
            _("The run is waiting for approval: withdraw the request first."), code="pending"
        )
    _require_state(
        run, EDITABLE, "not_cancellable", _("An approved run cannot be cancelled; adjust it.")
    )
    before = _snapshot(run)
    Payslip.objects.filter(run=run).delete()
    run.state = RunState.CANCELLED
    run.save(update_fields=["state", "updated_at"])
    audit_record(
        event_type="PAYROLL_RUN_CANCELLED", actor=actor, company=run.company, target=run,
        before=before, after=_snapshot(run),
    )  # fmt: skip
    return run


@transaction.atomic
def run_mark_paid(*, actor: Any, run: PayrollRun, paid_on: dt.date) -> PayrollRun:
    """The net pay went out on ``paid_on`` (approved runs only)."""
    run = lock(run)
    authorise(actor, run.company, MANAGE)
    _require_state(
        run, (RunState.APPROVED,), "not_approved", _("Only an approved run can be marked paid.")
    )
    if not isinstance(paid_on, dt.date):
        raise ValidationFailed(_("Give the payment date."), code="date_required")
    if paid_on < dt.date(run.year, run.month, 1):
        raise ValidationFailed(
            _("The payment date cannot be before the month paid."), code="paid_before_month"
        )
    run.state, run.paid_on = RunState.PAID, paid_on
    run.save(update_fields=["state", "paid_on", "updated_at"])
    audit_record(
        event_type="PAYROLL_RUN_PAID", actor=actor, company=run.company, target=run,
        after={**_snapshot(run), "paid_on": paid_on.isoformat()},
    )  # fmt: skip
    return run


# --- one-off items of a run ----------------------------------------------------------------


def _to_draft(run: PayrollRun) -> None:
    """A computed run whose items changed must be computed again."""
    if run.state == RunState.COMPUTED:
        run.state = RunState.DRAFT
        run.save(update_fields=["state", "updated_at"])


@transaction.atomic
def run_item_add(
    *, actor: Any, run: PayrollRun, employee: Any, name: str, amount: Any,
    category: str = ItemCategory.BONUS, tax_treatment: str = TaxTreatment.TAXABLE,
    insurable: bool = False,
) -> RunItem:  # fmt: skip
    """A one-off bonus, allowance or after-tax deduction for one person in the run."""
    run = lock(run)
    authorise(actor, run.company, MANAGE)
    _require_state(run, EDITABLE, "not_editable", _("Items can change only before approval."))
    if employee is None or employee.company_id != run.company_id:
        raise ValidationFailed(_("%(what)s not found.") % {"what": _("Employee")}, code="employee")
    if category not in ItemCategory.values or tax_treatment not in TaxTreatment.values:
        raise ValidationFailed(_("Unknown kind of item."), code="bad_item")
    if not (name or "").strip():
        raise ValidationFailed(_("Give the item a name."), code="name_required")
    value = dec(amount)
    if value <= 0 or value != value.to_integral_value():
        raise ValidationFailed(
            _("An amount is a positive whole number of đồng."), code="bad_amount"
        )
    item = RunItem.objects.create(  # type: ignore[misc]  # (the stubs type the field as str)
        company_id=run.company_id, run=run, employee=employee, name=name.strip()[:100],
        category=category, tax_treatment=tax_treatment, insurable=bool(insurable),
        amount=value, created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    _to_draft(run)
    audit_record(
        event_type="PAYROLL_RUN_ITEM_ADDED", actor=actor, company=run.company, target=run,
        after={"employee": employee.code, "name": item.name, "category": category},
    )  # fmt: skip
    return item


@transaction.atomic
def run_item_delete(*, actor: Any, item: RunItem) -> None:
    run = lock(item.run)
    authorise(actor, run.company, MANAGE)
    _require_state(run, EDITABLE, "not_editable", _("Items can change only before approval."))
    audit_record(
        event_type="PAYROLL_RUN_ITEM_DELETED", actor=actor, company=run.company, target=run,
        before={"employee": item.employee.code, "name": item.name, "category": item.category},
    )  # fmt: skip
    item.delete()
    _to_draft(run)


# The rest of the run's life, re-exported so callers import from one place.
from backoffice.payroll.services.runs_adjust import adjustment_create  # noqa: E402
from backoffice.payroll.services.runs_approval import (  # noqa: E402
    payroll_policy_ensure,
    run_submit,
)
from backoffice.payroll.services.runs_posting import run_post  # noqa: E402

__all__ = [
    "adjustment_create", "payroll_policy_ensure", "run_cancel", "run_compute", "run_create",
    "run_item_add", "run_item_delete", "run_mark_paid", "run_post", "run_submit",
]  # fmt: skip

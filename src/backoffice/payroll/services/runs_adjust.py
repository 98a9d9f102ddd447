"""Adjustment runs: a correction of a month after its run was approved.

An adjustment run names the run it corrects and the people it covers (chosen
when it is created, plus anyone given a one-off item in it). Computing it
recomputes each person's WHOLE month with today's HR data, the items of every
approved run of the month and the adjustment's own items, then stores the
difference against what the approved runs of that month already paid: the
month's PIT, insurance and net are then right once the adjustment is paid.
"""

from __future__ import annotations

import json
from dataclasses import fields, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.core.exceptions import Conflict, ValidationFailed
from backoffice.payroll.calculations import result_from_dict
from backoffice.payroll.calculations.types import MonthResult
from backoffice.payroll.enums import RunKind, RunState
from backoffice.payroll.models import PayrollRun, Payslip, RunItem
from backoffice.payroll.rules import month_rules_date, rules_for
from backoffice.payroll.services.gather import gather_month

DONE = (RunState.APPROVED, RunState.PAID, RunState.POSTED)
_AMOUNTS = [f.name for f in fields(MonthResult) if f.name != "pit_by_bracket"]


def _zero() -> MonthResult:
    return MonthResult(**{name: Decimal(0) for name in _AMOUNTS}, pit_by_bracket=())


def _add(a: MonthResult, b: MonthResult, sign: int = 1) -> MonthResult:
    return replace(
        a, **{n: getattr(a, n) + sign * getattr(b, n) for n in _AMOUNTS}, pit_by_bracket=()
    )


@transaction.atomic
def adjustment_create(*, actor: Any, run: PayrollRun, employees: Any = (),
                      title: str = "") -> PayrollRun:  # fmt: skip
    """A draft adjustment of an approved (or paid, posted) run for ``employees``."""
    from backoffice.payroll.services.runs import run_create

    if run.state not in DONE:
        raise Conflict(
            _("Only an approved run can be adjusted; recompute it instead."), code="not_approved"
        )
    people = list(employees or [])
    if any(e.company_id != run.company_id for e in people):
        raise ValidationFailed(_("%(what)s not found.") % {"what": _("Employee")}, code="employee")
    adj = run_create(
        actor=actor, company=run.company, year=run.year, month=run.month,
        kind=RunKind.ADJUSTMENT, adjusts=run,
        title=title or _("Adjustment %(p)s") % {"p": f"{run.month:02d}/{run.year}"},
    )  # fmt: skip
    adj.totals = {"selection": sorted(e.pk for e in people)}
    adj.save(update_fields=["totals", "updated_at"])
    return adj


def selection(run: PayrollRun) -> set[int]:
    chosen = set((run.totals or {}).get("selection") or [])
    return chosen | set(RunItem.objects.filter(run=run).values_list("employee_id", flat=True))


def adjustment_compute(run: PayrollRun) -> None:
    """Payslips of differences and the totals (called by ``run_compute``, locked)."""
    from backoffice.payroll.services.runs import (
        compute_people,
        payslip_document,
        save_payslips,
        totals_of,
    )

    chosen = selection(run)
    earlier = list(
        PayrollRun.objects.filter(
            company=run.company, year=run.year, month=run.month, state__in=DONE
        ).exclude(pk=run.pk).values_list("pk", flat=True)
    )  # fmt: skip
    rules = rules_for(month_rules_date(run.year, run.month), run.company)
    people = gather_month(
        run.company, run.year, run.month, employee_ids=chosen, item_runs=[*earlier, run.pk]
    )
    paid: dict[int, MonthResult] = {}
    for slip in Payslip.objects.filter(run_id__in=earlier, employee_id__in=list(chosen)):
        result = result_from_dict(json.loads(slip.data)["result"])
        paid[slip.employee_id] = _add(paid.get(slip.employee_id, _zero()), result)
    rows, docs = [], []
    for person, full in compute_people(people, rules):
        before = paid.get(person.employee.pk, _zero())
        diff = _add(full, before, -1)
        rows.append((person, diff))
        docs.append((person, diff, payslip_document(
            run, person, diff, full=_as_dict(full), already_paid=_as_dict(before))))  # fmt: skip
    save_payslips(run, docs)
    run.totals = {**totals_of(rows), "selection": sorted(chosen)}


def _as_dict(r: MonthResult) -> dict[str, Any]:
    from backoffice.payroll.calculations import result_as_dict

    return result_as_dict(r)

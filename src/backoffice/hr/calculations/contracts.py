"""Labour Code 2019 (Law 45/2019/QH14) rules on labour contracts, as pure functions.

No ORM here: the services hand in plain facts (:class:`PriorContract`) and the
parameters in force (:func:`params_on`, read from ``hr.rules``, a company may
override a key in its settings). Each check returns ``None`` or a
:class:`Refusal` (stable code, translated message citing the article).

* Art. 20.1.b: a fixed-term contract lasts at most 36 months.
* Art. 20.2.c: after a fixed-term contract only ONE more fixed-term contract may
  be signed; the next must be indefinite-term (``fixed_term_max_consecutive`` = 2,
  marked UNCERTAIN in VN-RULES, overridable per company), except a director of a
  state-capital enterprise, older employees (Art. 149.1), foreign workers
  (Art. 151.2) and trade-union officials (Art. 177.4) — an exemption flag.
* Art. 24.3: no probation for a labour contract of less than one month.
* Art. 25: probation only once per job; at most 180 days (enterprise manager),
  60 days (college degree or above), 30 days (intermediate, technical worker,
  skilled staff), 6 working days (other jobs).
* Art. 26: probation pay at least 85 % of the job's wage.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

PROBATION = "probation"
FIXED_TERM = "fixed_term"
INDEFINITE = "indefinite"
SERVICE = "service"
LABOUR_TYPES = (PROBATION, FIXED_TERM, INDEFINITE)
SIGNED_STATES = ("active", "ended", "terminated")

LEVEL_RULE_KEYS = {
    "manager": "probation_max_days_manager",
    "college": "probation_max_days_college",
    "intermediate": "probation_max_days_intermediate",
}


@dataclass(frozen=True)
class Params:
    probation_max_days: dict[str, int]
    probation_max_working_days_other: int
    probation_min_pay_percent: Decimal
    fixed_term_max_months: int
    fixed_term_max_consecutive: int
    expiry_alert_days: int


def params_on(on: dt.date, company: Any = None) -> Params:
    """The Labour Code parameters in force on ``on`` (company overrides first)."""
    from backoffice.hr.rules import rule

    return Params(
        probation_max_days={
            lvl: int(rule(key, on, company)) for lvl, key in LEVEL_RULE_KEYS.items()
        },
        probation_max_working_days_other=int(rule("probation_max_working_days_other", on, company)),
        probation_min_pay_percent=rule("probation_min_pay_percent", on, company),
        fixed_term_max_months=int(rule("fixed_term_max_months", on, company)),
        fixed_term_max_consecutive=int(rule("fixed_term_max_consecutive", on, company)),
        expiry_alert_days=int(rule("contract_expiry_alert_days", on, company)),
    )


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    article: str

    def as_extra(self) -> dict[str, str]:
        return {"article": self.article}


@dataclass(frozen=True)
class PriorContract:
    """What the rules need to know about an earlier contract of the same person."""

    contract_type: str
    start_date: dt.date
    end_date: dt.date | None
    state: str
    position_id: int | None = None


# --- dates -------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_end(start: dt.date, months: int) -> dt.date:
    """The last day of a term of ``months`` months starting on ``start`` (both
    days inclusive): 01/01/2026 + 36 months ends on 31/12/2028."""
    return add_months(start, months) - dt.timedelta(days=1)


def term_days(start: dt.date, end: dt.date) -> int:
    """Calendar days from ``start`` to ``end``, both included."""
    return (end - start).days + 1


def default_working_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Saturday days (the Labour Code's six-day week) between two dates;
    the services use the company calendar when it exists."""
    days = 0
    day = start
    while day <= end:
        if day.weekday() < 6:
            days += 1
        day += dt.timedelta(days=1)
    return days


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- the checks --------------------------------------------------------------------------


def check_dates(contract_type: str, start: dt.date, end: dt.date | None) -> Refusal | None:
    if end is not None and end < start:
        return Refusal("end_before_start", _("The end date is before the start date."), "")
    if contract_type == INDEFINITE and end is not None:
        return Refusal(
            "indefinite_has_no_end",
            _("An indefinite-term contract has no end date (Labour Code 2019 Art. 20.1.a)."),
            "Art. 20.1.a",
        )
    if contract_type in (PROBATION, FIXED_TERM, SERVICE) and end is None:
        return Refusal("end_date_required", _("This kind of contract needs an end date."), "")
    return None


def check_fixed_term_length(start: dt.date, end: dt.date, params: Params) -> Refusal | None:
    """Art. 20.1.b: at most 36 months."""
    limit = latest_end(start, params.fixed_term_max_months)
    if end > limit:
        return Refusal(
            "fixed_term_too_long",
            _(
                "A fixed-term contract lasts at most %(months)s months (Labour Code 2019 "
                "Art. 20.1.b): starting %(start)s it must end by %(limit)s."
            )
            % {"months": params.fixed_term_max_months, "start": _d(start), "limit": _d(limit)},
            "Art. 20.1.b",
        )
    return None


def consecutive_fixed_terms(priors: Iterable[PriorContract], before: dt.date) -> int:
    """How many signed fixed-term contracts immediately precede ``before`` (the
    chain back to the last indefinite-term contract; probation and service
    agreements are not labour contracts of Art. 20 and are skipped)."""
    chain = sorted(
        (p for p in priors if p.state in SIGNED_STATES and p.start_date < before
         and p.contract_type in (FIXED_TERM, INDEFINITE)),
        key=lambda p: p.start_date,
    )  # fmt: skip
    count = 0
    for prior in reversed(chain):
        if prior.contract_type == INDEFINITE:
            break
        count += 1
    return count


def check_consecutive_fixed_term(
    priors: Iterable[PriorContract], start: dt.date, params: Params, *, exempt: bool = False
) -> Refusal | None:
    """Art. 20.2.c: after two consecutive fixed-term contracts the next is indefinite."""
    if exempt:
        return None
    count = consecutive_fixed_terms(priors, start)
    if count >= params.fixed_term_max_consecutive:
        return Refusal(
            "indefinite_required",
            _(
                "This employee has already signed %(n)s consecutive fixed-term contracts; the "
                "next contract must be indefinite-term (Labour Code 2019 Art. 20.2.c)."
            )
            % {"n": count},
            "Art. 20.2.c",
        )
    return None


def probation_limit(job_level: str, params: Params) -> tuple[int, bool]:
    """(maximum, counted in working days?) for a job level (Art. 25)."""
    if job_level in params.probation_max_days:
        return params.probation_max_days[job_level], False
    return params.probation_max_working_days_other, True


def check_probation_length(
    job_level: str, start: dt.date, end: dt.date, params: Params, *, working_days: int | None = None
) -> Refusal | None:
    """Art. 25: the longest probation for the job level. ``working_days`` is the
    number of working days between the dates (the caller's calendar); by
    default Monday to Saturday."""
    limit, in_working_days = probation_limit(job_level, params)
    if in_working_days:
        used = working_days if working_days is not None else default_working_days(start, end)
        if used > limit:
            return Refusal(
                "probation_too_long",
                _(
                    "Probation for this job lasts at most %(n)s working days (Labour Code 2019 "
                    "Art. 25.4); %(used)s were given."
                )
                % {"n": limit, "used": used},
                "Art. 25.4",
            )
        return None
    days = term_days(start, end)
    if days > limit:
        clause = {"manager": "25.1", "college": "25.2", "intermediate": "25.3"}[job_level]
        return Refusal(
            "probation_too_long",
            _(
                "Probation for this job level lasts at most %(n)s days (Labour Code 2019 "
                "Art. %(clause)s); %(days)s were given."
            )
            % {"n": limit, "clause": clause, "days": days},
            f"Art. {clause}",
        )
    return None


def check_probation_once(
    priors: Iterable[PriorContract], position_id: int | None
) -> Refusal | None:
    """Art. 25: probation only once for one job. The job is the position; without
    a position every probation of the person counts as the same job."""
    for prior in priors:
        if (
            prior.contract_type == PROBATION
            and prior.state in (*SIGNED_STATES, "draft")
            and (prior.position_id == position_id)
        ):
            return Refusal(
                "probation_twice",
                _(
                    "This employee has already been on probation for this job; probation is "
                    "allowed only once per job (Labour Code 2019 Art. 25)."
                ),
                "Art. 25",
            )
    return None


def check_probation_pay(
    salary: Decimal | None, job_salary: Decimal | None, params: Params
) -> Refusal | None:
    """Art. 26: probation pay at least 85 % of the job's wage."""
    if salary is None or job_salary is None or job_salary <= 0:
        return Refusal(
            "probation_pay_required",
            _("A probation contract needs the probation pay and the wage of the job."),
            "Art. 26",
        )
    minimum = (job_salary * params.probation_min_pay_percent / 100).quantize(Decimal(1))
    if salary < minimum:
        return Refusal(
            "probation_pay_too_low",
            _(
                "Probation pay must be at least %(pct)s%% of the job's wage (Labour Code 2019 "
                "Art. 26): at least %(min)s đồng."
            )
            % {"pct": params.probation_min_pay_percent.normalize(), "min": f"{minimum:,.0f}"
               .replace(",", ".")},
            "Art. 26",
        )  # fmt: skip
    return None


def check_no_probation_for_short_contract(
    start: dt.date, end: dt.date | None, after_probation: bool
) -> Refusal | None:
    """Art. 24.3: no probation for a labour contract of less than one month."""
    if after_probation and end is not None and end < latest_end(start, 1):
        return Refusal(
            "probation_short_contract",
            _(
                "No probation is allowed for a labour contract of less than one month "
                "(Labour Code 2019 Art. 24.3)."
            ),
            "Art. 24.3",
        )
    return None


def check_contract(
    *,
    contract_type: str,
    start: dt.date,
    end: dt.date | None,
    params: Params,
    priors: Sequence[PriorContract] = (),
    job_level: str = "college",
    position_id: int | None = None,
    salary: Decimal | None = None,
    job_salary: Decimal | None = None,
    exempt: bool = False,
    working_days: int | None = None,
    after_probation: bool = False,
) -> Refusal | None:
    """All the rules for a new contract of ``contract_type``; the first refusal."""
    checks: list[Refusal | None] = [check_dates(contract_type, start, end)]
    if checks[0] is not None:
        return checks[0]
    if contract_type == PROBATION:
        assert end is not None
        checks += [
            check_probation_once(priors, position_id),
            check_probation_length(job_level, start, end, params, working_days=working_days),
            check_probation_pay(salary, job_salary, params),
        ]
    elif contract_type == FIXED_TERM:
        assert end is not None
        checks += [
            check_fixed_term_length(start, end, params),
            check_consecutive_fixed_term(priors, start, params, exempt=exempt),
            check_no_probation_for_short_contract(start, end, after_probation),
        ]
    return next((c for c in checks if c is not None), None)


def next_contract_type(
    previous_type: str, priors: Sequence[PriorContract], start: dt.date, params: Params,
    *, exempt: bool = False,
) -> str:  # fmt: skip
    """What a renewal of a ``previous_type`` contract should be by default."""
    if previous_type == SERVICE:
        return SERVICE
    if previous_type == INDEFINITE:
        return INDEFINITE
    if check_consecutive_fixed_term(priors, start, params, exempt=exempt) is not None:
        return INDEFINITE
    return FIXED_TERM


def expiring(end: dt.date | None, on: dt.date, days: int) -> bool:
    """Does a contract ending on ``end`` need its expiry alert on ``on``?"""
    return end is not None and end <= on + dt.timedelta(days=days)

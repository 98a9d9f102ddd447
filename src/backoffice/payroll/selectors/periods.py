"""Report periods: a month, a quarter or a year (the PIT returns are monthly or
quarterly, the finalisation yearly)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from backoffice.core.exceptions import ValidationFailed


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None
    quarter: int | None = None

    def __post_init__(self) -> None:
        if not 2000 <= self.year <= 2100:
            raise ValidationFailed(_("Choose a year between 2000 and 2100."), code="bad_period")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValidationFailed(_("Choose a month from 1 to 12."), code="bad_period")
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValidationFailed(_("Choose a quarter from 1 to 4."), code="bad_period")
        if self.month is not None and self.quarter is not None:
            raise ValidationFailed(_("Choose a month or a quarter, not both."), code="bad_period")

    @property
    def months(self) -> list[int]:
        if self.month is not None:
            return [self.month]
        if self.quarter is not None:
            return [3 * (self.quarter - 1) + i for i in (1, 2, 3)]
        return list(range(1, 13))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.months[0], 1)

    @property
    def end(self) -> dt.date:
        last = self.months[-1]
        return dt.date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def label(self) -> str:
        if self.month is not None:
            return f"{self.month:02d}/{self.year}"
        if self.quarter is not None:
            return _("Q%(q)s/%(y)s") % {"q": self.quarter, "y": self.year}
        return str(self.year)

    @property
    def slug(self) -> str:
        if self.month is not None:
            return f"{self.year}-{self.month:02d}"
        if self.quarter is not None:
            return f"{self.year}-q{self.quarter}"
        return str(self.year)


def parse_period(year: object, month: object = None, quarter: object = None) -> Period:
    def num(value: object) -> int | None:
        if value in (None, ""):
            return None
        try:
            return int(str(value))
        except ValueError:
            raise ValidationFailed(_("Enter a number."), code="bad_period") from None

    y = num(year)
    if y is None:
        raise ValidationFailed(_("Choose a year."), code="bad_period")
    return Period(y, num(month), num(quarter))


def rules_on(on: dt.date, company: object = None) -> Any:
    """:func:`backoffice.payroll.rules.rules_for`, a date before the first rule
    row being the caller's mistake (``no_rules``), not a server error."""
    from backoffice.payroll.rules import RuleMissing, rules_for

    try:
        return rules_for(on, company)
    except RuleMissing:
        raise ValidationFailed(
            _("No payroll rules are in force on %(d)s.") % {"d": on.strftime("%d/%m/%Y")},
            code="no_rules",
        ) from None

"""Checks of personal identifiers and provinces (pure, no ORM).

* Personal tax code (MST): 10 digits with a check digit, or 13 (10 + "-" + 3
  for a branch), validated by ``stdnum.vn.mst``.
* National ID (CCCD): 12 digits (Circular 59/2021/TT-BCA: province of birth
  3 digits, gender/century 1, year 2, serial 6).
* Social insurance number (mã số BHXH): 10 digits.
* Bank account: 6 to 20 letters or digits (bank formats differ).
* Provinces: the 34 provinces and cities in force since 1 July 2025
  (Resolution 202/2025/QH15), from the ``vietnam-provinces`` package; stored
  as the two-digit code ("01" Hà Nội, "79" TP. Hồ Chí Minh).
"""

from __future__ import annotations

import re
from functools import cache

from django.utils.translation import gettext as _

from backoffice.core.exceptions import ValidationFailed

IDENTIFIERS = ("national_id", "tax_code", "social_insurance_no", "bank_account")


def _fail(field: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, extra={"fields": {field: [message]}})


def clean_national_id(value: str, field: str = "national_id") -> str:
    text = "".join(str(value or "").split())
    if text and not re.fullmatch(r"\d{12}", text):
        raise _fail(field, _("A national ID (CCCD) has exactly 12 digits."), "bad_national_id")
    return text


def clean_tax_code(value: str, field: str = "tax_code") -> str:
    from stdnum.vn import mst

    text = "".join(str(value or "").split())
    if not text:
        return ""
    try:
        return str(mst.validate(text))
    except Exception:  # stdnum raises several ValidationError subclasses
        raise _fail(
            field, _("%(v)s is not a valid personal tax code.") % {"v": text}, "bad_tax_code"
        ) from None


def clean_social_insurance_no(value: str, field: str = "social_insurance_no") -> str:
    text = "".join(str(value or "").split())
    if text and not re.fullmatch(r"\d{10}", text):
        raise _fail(
            field, _("A social insurance number has exactly 10 digits."), "bad_insurance_no"
        )
    return text


def clean_bank_account(value: str, field: str = "bank_account") -> str:
    text = "".join(str(value or "").split()).replace("-", "")
    if text and not re.fullmatch(r"[0-9A-Za-z]{6,20}", text):
        raise _fail(
            field, _("A bank account number has 6 to 20 letters or digits."), "bad_bank_account"
        )
    return text


CLEANERS = {
    "national_id": clean_national_id,
    "tax_code": clean_tax_code,
    "social_insurance_no": clean_social_insurance_no,
    "bank_account": clean_bank_account,
}


@cache
def province_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) of the current provinces, sorted by name."""
    from vietnam_provinces import Province

    rows = [(f"{int(p.code):02d}", p.name) for p in Province.iter_all()]
    return tuple(sorted(rows, key=lambda r: r[1]))


def province_name(code: str) -> str:
    return dict(province_choices()).get(code or "", "")


def clean_province(value: str | int | None, field: str = "current_province") -> str:
    """A province code ("1", "01", 1) or exact name ("Thành phố Hà Nội", "Hà Nội") -> "01"."""
    if value in (None, ""):
        return ""
    text = str(value).strip()
    names = dict(province_choices())
    if text.isdigit() and f"{int(text):02d}" in names:
        return f"{int(text):02d}"
    folded = text.casefold()
    for code, name in names.items():
        short = re.sub(r"^(thành phố|tỉnh)\s+", "", name.casefold())
        if folded in (name.casefold(), short):
            return code
    raise _fail(
        field, _("%(v)s is not a current province of Viet Nam.") % {"v": text}, "bad_province"
    )

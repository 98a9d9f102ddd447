"""Payroll settings of a company (``company.settings["payroll"]``): the ledger
accounts of the posting, the expense account per department, the default
minimum-wage region and the pay day.

Defaults follow the company's chart: Circular 99 (and 200) puts unemployment
insurance on 3386; Circular 133 on 3385 (3386 there is "deposits received") and
has no 641/622, so its default expense account is 6422 (VN-RULES §6.2).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import ValidationFailed
from backoffice.core.models import Company

SECTION = "payroll"
ACCOUNT_KEYS = (
    "payable", "si", "hi", "ui", "union", "pit", "bank", "expense", "deductions",
)  # fmt: skip


def default_accounts(chart: str) -> dict[str, str]:
    tt133 = chart == "tt133"
    return {
        "payable": "334",  # Phải trả người lao động
        "si": "3383",  # BHXH
        "hi": "3384",  # BHYT
        "ui": "3385" if tt133 else "3386",  # BHTN
        "union": "3382",  # KPCĐ and đoàn phí
        "pit": "3335",  # thuế TNCN
        "bank": "1121",  # tiền gửi ngân hàng (VND)
        "expense": "6422" if tt133 else "642",  # chi phí quản lý
        "deductions": "141",  # after-tax deductions (advances repaid)
    }


def payroll_settings(company: Company) -> dict[str, Any]:
    """The company's payroll settings with the defaults filled in."""
    stored = ((company.settings or {}).get(SECTION) or {}) if company is not None else {}
    accounts = {
        **default_accounts(getattr(company, "chart", "tt99")),
        **(stored.get("accounts") or {}),
    }
    return {
        "accounts": accounts,
        "department_expense": dict(stored.get("department_expense") or {}),
        "default_region": int(stored.get("default_region") or 1),
        "pay_day": int(stored.get("pay_day") or 10),
    }


def expense_account(settings: dict[str, Any], department_code: str | None) -> str:
    return str(
        (settings["department_expense"] or {}).get(department_code or "")
        or settings["accounts"]["expense"]
    )


def _clean_account(company: Company, given: Any, label: str) -> str:
    from backoffice.accounting.models import Account

    code = str(given or "").strip()
    if not code:
        raise ValidationFailed(
            _("Give an account for %(w)s.") % {"w": label}, code="account_required"
        )
    acc = Account.objects.filter(company=company, code=code).first()
    if acc is None:
        raise ValidationFailed(
            _("Account %(a)s is not in the chart of accounts.") % {"a": code},
            code="unknown_account",
            extra={"fields": {label: [_("Not found.")]}},
        )
    if not acc.is_postable:
        raise ValidationFailed(
            _("Account %(a)s has sub-accounts: post to one of them.") % {"a": code},
            code="account_not_postable",
            extra={"fields": {label: [_("Not postable.")]}},
        )
    return code


@transaction.atomic
def payroll_settings_update(
    *,
    actor: Any,
    company: Company,
    accounts: dict[str, Any] | None = None,
    department_expense: dict[str, Any] | None = None,
    default_region: Any = None,
    pay_day: Any = None,
) -> dict[str, Any]:
    """Change the company's payroll settings (``payroll.manage_settings``); audited."""
    from backoffice.core.models import Department
    from backoffice.payroll.services.common import authorise

    authorise(actor, company, "payroll.manage_settings")
    company.refresh_from_db(fields=["settings"])
    before = payroll_settings(company)
    stored = dict((company.settings or {}).get(SECTION) or {})
    if accounts is not None:
        unknown = set(accounts) - set(ACCOUNT_KEYS)
        if unknown:
            raise ValidationFailed(
                _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))},
                code="unknown_field",
            )
        merged = {**(stored.get("accounts") or {})}
        for key, code in accounts.items():
            merged[key] = _clean_account(company, code, key)
        stored["accounts"] = merged
    if department_expense is not None:
        known = set(Department.objects.filter(company=company).values_list("code", flat=True))
        mapping = {}
        for dept, code in department_expense.items():
            if not str(code or "").strip():
                continue
            if dept not in known:
                raise ValidationFailed(
                    _("Unknown department: %(d)s.") % {"d": dept}, code="unknown_department"
                )
            mapping[dept] = _clean_account(company, code, dept)
        stored["department_expense"] = mapping
    if default_region is not None:
        if str(default_region) not in ("1", "2", "3", "4"):
            raise ValidationFailed(_("The region is 1, 2, 3 or 4."), code="bad_region")
        stored["default_region"] = int(default_region)
    if pay_day is not None:
        if not str(pay_day).isdigit() or not 1 <= int(pay_day) <= 31:
            raise ValidationFailed(_("The pay day is a day of the month (1-31)."), code="bad_day")
        stored["pay_day"] = int(pay_day)
    company.settings = {**(company.settings or {}), SECTION: stored}
    company.save(update_fields=["settings", "updated_at"])
    after = payroll_settings(company)
    audit_record(
        event_type="PAYROLL_SETTINGS_UPDATED", actor=actor, company=company, target=company,
        before={k: v for k, v in before.items() if after.get(k) != v},
        after={k: v for k, v in after.items() if before.get(k) != v},
    )  # fmt: skip
    return after

"""The bank transfer file of a payroll run: one CSV line per employee with a
net pay above zero, in the common Vietnamese bulk-payroll layout (the
Vietcombank "chi lương" / Techcombank bulk-transfer templates accept these
columns; most banks' internet banking imports the same set):

    STT, So tai khoan, Ten nguoi thu huong, So tien, Ngan hang, Noi dung

* ``STT``: 1, 2, 3 ...
* ``So tai khoan``: the person's account number, digits only (spaces, dots and
  dashes removed);
* ``Ten nguoi thu huong``: the account holder's name in upper case without
  diacritics ("NGUYEN THI LAN"), as banks require;
* ``So tien``: the net pay in whole đồng, no separators;
* ``Ngan hang``: the person's bank as recorded in HR;
* ``Noi dung``: "Luong thang MM/YYYY <code>" (ASCII; at most 50 characters).

The file is UTF-8 (ASCII in practice), comma-separated, CRLF line ends, a
header row. The file reveals account numbers: it needs ``payroll.manage_run``
and ``hr.reveal_pii``, only an approved (paid, posted) run qualifies, and each
export is an audit event (``PAYROLL_BANK_FILE_EXPORTED``: count, total,
people left out because they have no account).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import NotFound, ValidationFailed
from backoffice.core.selectors import require_perm
from backoffice.payroll.models import PayrollRun, Payslip
from backoffice.payroll.selectors.payslips import RELEASED, decoded

HEADER = ["STT", "So tai khoan", "Ten nguoi thu huong", "So tien", "Ngan hang", "Noi dung"]


def ascii_upper(text: str) -> str:
    """ "Nguyễn Thị Lan" -> "NGUYEN THI LAN" (đ/Đ -> D; other marks dropped)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", plain).strip().upper()


def account_digits(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


@dataclass
class BankFile:
    filename: str
    content: bytes
    count: int = 0
    total: Decimal = Decimal(0)
    missing: list[str] = field(default_factory=list)  # employee codes without an account


def bank_rows(run: PayrollRun) -> tuple[list[list[str]], Decimal, list[str]]:
    period = f"{run.month:02d}/{run.year}"
    rows: list[list[str]] = []
    total, missing = Decimal(0), []
    payslips = Payslip.objects.filter(run=run).select_related("employee").order_by("employee__code")
    for payslip in payslips:
        _doc, result = decoded(payslip)
        net = result.net
        if net <= 0:
            continue
        emp = payslip.employee
        account = account_digits(str(emp.bank_account or ""))
        if not account:
            missing.append(emp.code)
            continue
        content = f"Luong thang {period} {ascii_upper(emp.code)}"[:50]
        rows.append([str(len(rows) + 1), account, ascii_upper(emp.full_name), str(int(net)),
                     ascii_upper(emp.bank_name or ""), content])  # fmt: skip
        total += net
    return rows, total, missing


@transaction.atomic
def bank_file(*, actor: Any, company: Any, run: PayrollRun) -> BankFile:
    require_perm(actor, "payroll.manage_run")
    require_perm(actor, "hr.reveal_pii")
    active = getattr(actor, "active_company", None)
    if run.company_id != company.pk or (active is not None and active.pk != company.pk):
        raise NotFound(_("%(what)s not found.") % {"what": _("Payroll run")})
    if run.state not in RELEASED:
        raise ValidationFailed(
            _("The bank file is made once the run is approved."), code="run_not_approved"
        )
    rows, total, missing = bank_rows(run)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    audit_record(
        event_type="PAYROLL_BANK_FILE_EXPORTED", actor=actor, company=company, target=run,
        after={"count": len(rows), "total": str(total), "missing": missing},
    )  # fmt: skip
    name = f"chuyen-khoan-luong-{run.year}-{run.month:02d}-{company.code}.csv"
    return BankFile(name, out.getvalue().encode("utf-8"), len(rows), total, missing)

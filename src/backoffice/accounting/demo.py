"""Demo bookkeeping (core.demo step): the demo companies get a year of realistic
Vietnamese books — capital contribution, purchases and sales with VAT, cost of
goods sold, customer receipts and supplier payments, cash expenses, salaries,
bank fees and depreciation — posted through the ledger services, so numbers,
balances and the audit trail are the real thing. A few drafts are left in the
last month, and one posted entry is reversed, so every desk screen has
something to show.

Deterministic for a seed (and a day: the books run up to today). Registered
from AppConfig.ready through ``from backoffice.accounting import demo``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from backoffice.core.demo import register_demo_step

ACTOR = "demo"

CUSTOMERS = [
    "Công ty TNHH Thương mại Hưng Thịnh",
    "Công ty Cổ phần Xây dựng Phú Mỹ",
    "Công ty TNHH Điện tử Minh Khang",
    "Cửa hàng Tạp hoá Bà Sáu",
    "Công ty TNHH Nội thất An Gia",
    "Siêu thị Mini Hoà Bình",
]
SUPPLIERS = [
    "Công ty TNHH Phân phối Đại Việt",
    "Công ty Cổ phần Văn phòng phẩm Hồng Hà",
    "Công ty TNHH Thiết bị Nam Á",
    "Công ty TNHH Bao bì Tân Tiến",
]
GOODS = ["máy in laser", "giấy A4", "bàn làm việc", "ghế xoay", "màn hình 24 inch", "router wifi"]
CASH_EXPENSES = [
    ("Mua văn phòng phẩm", 350_000, 1_800_000),
    ("Tiếp khách", 500_000, 3_000_000),
    ("Cước chuyển phát nhanh", 80_000, 400_000),
    ("Sửa chữa máy lạnh văn phòng", 600_000, 2_500_000),
    ("Nước uống văn phòng", 150_000, 600_000),
]


def _round(amount: float | int) -> Decimal:
    """Whole thousands of đồng, as real invoices mostly are."""
    return Decimal(int(amount) // 1000 * 1000)


class _Books:
    def __init__(self, company: Any) -> None:
        from backoffice.accounting.models import Account

        self.company = company
        self.codes = set(
            Account.objects.filter(company=company, is_postable=True, is_active=True).values_list(
                "code", flat=True
            )
        )

    def pick(self, *candidates: str) -> str:
        for code in candidates:
            if code in self.codes:
                return code
        raise LookupError(f"none of {candidates} is a postable account of {self.company.code}")


def _post(company, day, description, lines, *, journal, voucher_type=None, partner="", post=True):
    from backoffice.accounting import services
    from backoffice.accounting.models import EntrySource

    return services.entry_create(
        actor=ACTOR,
        company=company,
        date=day,
        description=description,
        lines=[
            services.LineInput(account=a, debit=Decimal(d), credit=Decimal(c)) for a, d, c in lines
        ],
        journal=journal,
        voucher_type=voucher_type,
        partner=partner,
        source=EntrySource.DEMO,
        post=post,
    )


def _months(start: date, end: date):
    day = start.replace(day=1)
    while day <= end:
        yield day
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _day(month: date, rng: random.Random, end: date, lo: int = 1, hi: int = 28) -> date:
    return min(month.replace(day=rng.randint(lo, hi)), end)


def company_books(company: Any, *, seed: int = 1, years: int = 1, scale: int = 1) -> int:
    """Post the demo books of one company; returns the number of entries written."""
    from backoffice.accounting import services
    from backoffice.accounting.models import FiscalYear, VoucherType

    rng = random.Random(f"{seed}-{company.code}")  # noqa: S311 - demo data, not security
    services.books_create(actor=ACTOR, company=company)
    today = timezone.localdate()
    first = date(today.year - years + 1, 1, 1)
    for year in range(first.year, today.year + 1):
        if not FiscalYear.objects.filter(company=company, start__year=year).exists():
            services.fiscal_year_create(actor=ACTOR, company=company, start=date(year, 1, 1))
    b = _Books(company)
    cash, bank = b.pick("1111", "111"), b.pick("1121", "112")
    receivable, payable = b.pick("131"), b.pick("331")
    goods, vat_in, vat_out = b.pick("1561", "156"), b.pick("1331", "133"), b.pick("33311", "3331")
    revenue, cogs = b.pick("5111", "511"), b.pick("632")
    admin_cost = b.pick("6427", "6428", "6422", "642")
    staff_cost = b.pick("6421", "6422", "642")
    depreciation_cost = b.pick("6424", "6422", "642")
    fixed_asset, acc_dep = b.pick("2111", "211"), b.pick("2141", "214")
    vat_fa = b.pick("1332", "1331", "133")
    capital, wages = b.pick("4111", "411"), b.pick("334")
    count = 0

    def post(*args, **kwargs):
        nonlocal count
        count += 1
        return _post(company, *args, **kwargs)

    def cash_in_hand() -> Decimal:
        from django.db.models import Sum

        from backoffice.accounting.models import Line

        totals = Line.objects.filter(company=company, account__code=cash, posted=True).aggregate(
            d=Sum("debit"), c=Sum("credit")
        )
        return (totals["d"] or Decimal(0)) - (totals["c"] or Decimal(0))

    capital_amount = Decimal(3_000_000_000) * scale
    post(first.replace(day=2), "Nhận vốn góp của chủ sở hữu", [(bank, capital_amount, 0),
         (capital, 0, capital_amount)], journal="BANK", voucher_type=VoucherType.BANK_CREDIT,
         partner="Các thành viên góp vốn")  # fmt: skip
    asset_cost = Decimal(360_000_000)
    post(first.replace(day=5), "Mua xe tải chở hàng", [(fixed_asset, asset_cost, 0),
         (vat_fa, asset_cost / 10, 0), (bank, 0, asset_cost * Decimal("1.1"))],
         journal="BANK", voucher_type=VoucherType.BANK_DEBIT, partner=SUPPLIERS[2])  # fmt: skip
    post(first.replace(day=6), "Rút tiền gửi ngân hàng về nhập quỹ",
         [(cash, 200_000_000, 0), (bank, 0, 200_000_000)], journal="CASH",
         voucher_type=VoucherType.RECEIPT, partner="Thủ quỹ")  # fmt: skip

    stock = Decimal(0)
    months = list(_months(first, today))
    for index, month in enumerate(months):
        last_month = index == len(months) - 1
        # From the last closed month on, salaries come from the payroll demo's
        # real run (computed, approved, paid and posted through payroll).
        payroll_runs_it = index >= len(months) - 2
        month_end = min(
            (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1), today
        )
        # Purchases on credit, then paid by bank.
        for _ in range(rng.randint(2, 4) * scale):
            supplier = rng.choice(SUPPLIERS)
            net = _round(rng.randint(20, 180) * 1_000_000)
            stock += net
            day = _day(month, rng, today)
            post(day, f"Mua {rng.choice(GOODS)} nhập kho", [(goods, net, 0), (vat_in, net / 10, 0),
                 (payable, 0, net * Decimal("1.1"))], journal="PUR", partner=supplier)  # fmt: skip
            if day + timedelta(days=10) <= today:
                post(day + timedelta(days=10), f"Thanh toán tiền hàng cho {supplier}",
                     [(payable, net * Decimal("1.1"), 0), (bank, 0, net * Decimal("1.1"))],
                     journal="BANK", voucher_type=VoucherType.BANK_DEBIT, partner=supplier)  # fmt: skip
        # Sales with VAT and their cost, then collected.
        for _ in range(rng.randint(4, 7) * scale):
            customer = rng.choice(CUSTOMERS)
            cost = min(_round(rng.randint(10, 90) * 1_000_000), stock)
            if cost <= 0:
                break
            stock -= cost
            price = _round(cost * Decimal(rng.choice(["1.25", "1.3", "1.4"])))
            day = _day(month, rng, today)
            in_cash = rng.random() < 0.25
            if in_cash:
                post(day, f"Bán hàng thu tiền mặt - {customer}", [(cash, price * Decimal("1.1"), 0),
                     (revenue, 0, price), (vat_out, 0, price / 10)], journal="CASH",
                     voucher_type=VoucherType.RECEIPT, partner=customer)  # fmt: skip
            else:
                post(day, f"Bán hàng cho {customer}", [(receivable, price * Decimal("1.1"), 0),
                     (revenue, 0, price), (vat_out, 0, price / 10)], journal="SALE",
                     partner=customer)  # fmt: skip
                if day + timedelta(days=15) <= today:
                    post(day + timedelta(days=15), f"Thu tiền hàng của {customer}",
                         [(bank, price * Decimal("1.1"), 0), (receivable, 0, price * Decimal("1.1"))],
                         journal="BANK", voucher_type=VoucherType.BANK_CREDIT, partner=customer)  # fmt: skip
            post(day, "Giá vốn hàng bán", [(cogs, cost, 0), (goods, 0, cost)], journal="SALE")
        # Cash expenses (phiếu chi).
        for _ in range(rng.randint(2, 4)):
            label, lo, hi = rng.choice(CASH_EXPENSES)
            amount = _round(rng.randint(lo, hi))
            post(_day(month, rng, today), label, [(admin_cost, amount, 0), (cash, 0, amount)],
                 journal="CASH", voucher_type=VoucherType.PAYMENT,
                 partner=rng.choice(["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Phúc"]))  # fmt: skip
        # The till keeps about 50 million; the rest is paid into the bank.
        deposit = _round(cash_in_hand() - 50_000_000)
        if deposit > 0:
            post(month_end, "Nộp tiền mặt vào tài khoản ngân hàng", [(bank, deposit, 0),
                 (cash, 0, deposit)], journal="CASH", voucher_type=VoucherType.PAYMENT,
                 partner="Thủ quỹ")  # fmt: skip
        # Bank fees, salaries, depreciation at the month's end.
        fee = _round(rng.randint(50, 300) * 1000 + 1000)
        post(month_end, "Phí quản lý tài khoản và chuyển tiền", [(admin_cost, fee, 0), (bank, 0, fee)],
             journal="BANK", voucher_type=VoucherType.BANK_DEBIT, partner="Ngân hàng TMCP Ngoại thương Việt Nam")  # fmt: skip
        payroll = _round(rng.randint(55, 70) * 1_000_000) * scale
        if not payroll_runs_it:
            post(month_end, f"Tiền lương phải trả tháng {month:%m/%Y}", [(staff_cost, payroll, 0),
                 (wages, 0, payroll)], journal="PAY")  # fmt: skip
            post(month_end, f"Chi trả lương tháng {month:%m/%Y}", [(wages, payroll, 0), (bank, 0, payroll)],
                 journal="BANK", voucher_type=VoucherType.BANK_DEBIT, partner="Cán bộ nhân viên")  # fmt: skip
        depreciation = asset_cost / 60  # straight line over 5 years
        post(month_end, f"Khấu hao TSCĐ tháng {month:%m/%Y}",
             [(depreciation_cost, _round(depreciation), 0), (acc_dep, 0, _round(depreciation))],
             journal="GEN", post=not last_month)  # fmt: skip

    # A mistaken payment, corrected by reversal (the customary way).
    wrong = post(months[-1].replace(day=1), "Chi tạm ứng (nhập nhầm số tiền)",
                 [(admin_cost, 5_500_000, 0), (cash, 0, 5_500_000)], journal="CASH",
                 voucher_type=VoucherType.PAYMENT, partner="Nguyễn Văn An")  # fmt: skip
    services.entry_reverse(actor=ACTOR, entry=wrong, description="Đảo bút toán chi nhầm")
    count += 1
    return count


@register_demo_step
def demo_ledger(*, company: Any, seed: int = 1, years: int = 1, **_: Any) -> None:
    from backoffice.core.models import Company

    for each in Company.objects.filter(code__in=[company.code, "DEMO-HN"]).order_by("code"):
        company_books(each, seed=seed, years=max(1, min(years, 3)), scale=1)

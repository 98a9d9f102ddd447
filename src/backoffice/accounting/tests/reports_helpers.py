"""Shared scenario for the report tests: a textbook month (March 2026).

1. 02/03 the owners contribute 1,000,000,000 into the bank;
2. 03/03 equipment 240,000,000 + 10 % VAT paid by bank;
3. 05/03 goods 100,000,000 + 10 % VAT bought on credit;
4. 10/03 goods sold 150,000,000 + 10 % VAT on credit, cost of sales 100,000,000;
5. 31/03 salaries 30,000,000 accrued (G&A), employee insurance 10.5 %
   (SI 8 %, HI 1.5 %, UI 1 %), employer insurance 21.5 % (SI 17.5 %, HI 3 %, UI 1 %);
6. 31/03 bank fees 100,000 + 10,000 VAT (110,000 debited by the bank);
7. 31/03 depreciation 5,000,000 (48 months of the equipment);
then the month close (911, 4212).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backoffice.accounting import services
from backoffice.accounting.models import FiscalYear, Period

D = Decimal
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def books(make_company, code: str, chart: str = "tt99", **kw):
    """A company with its books (chart template, journals) and fiscal year 2026."""
    company = make_company(code, chart=chart, **kw)
    services.books_create(actor="test", company=company)
    ensure_year(company)
    return company


def ensure_year(company, year: int = 2026) -> None:
    if not FiscalYear.objects.filter(company=company, start=date(year, 1, 1)).exists():
        services.fiscal_year_create(actor="test", company=company, start=date(year, 1, 1))


def post(company, day, description, *lines, actor="test", **kw):
    """Post an entry; lines are (account code, debit, credit)."""
    return services.entry_create(
        actor=actor,
        company=company,
        date=day,
        description=description,
        lines=[services.LineInput(account=a, debit=D(d), credit=D(c)) for a, d, c in lines],
        post=True,
        **kw,
    )


def textbook_month(company) -> dict[str, str]:
    """Post the scenario's entries (not the close). Returns the accounts used."""
    ensure_year(company)
    tt133 = company.chart == "tt133"
    ga = "6422" if tt133 else "642"  # G&A expense
    ui = "3385" if tt133 else "3386"  # unemployment insurance
    post(
        company,
        date(2026, 3, 2),
        "Nhận vốn góp",
        ("1121", 1_000_000_000, 0),
        ("4111", 0, 1_000_000_000),
    )
    post(
        company,
        date(2026, 3, 3),
        "Mua thiết bị",
        ("211", 240_000_000, 0),
        ("1332", 24_000_000, 0),
        ("1121", 0, 264_000_000),
    )
    post(
        company,
        date(2026, 3, 5),
        "Mua hàng chưa trả tiền",
        ("156", 100_000_000, 0),
        ("1331", 10_000_000, 0),
        ("331", 0, 110_000_000),
    )
    post(
        company,
        date(2026, 3, 10),
        "Bán hàng",
        ("131", 165_000_000, 0),
        ("5111", 0, 150_000_000),
        ("33311", 0, 15_000_000),
    )
    post(
        company,
        date(2026, 3, 10),
        "Giá vốn hàng bán",
        ("632", 100_000_000, 0),
        ("156", 0, 100_000_000),
    )
    post(
        company,
        date(2026, 3, 31),
        "Tiền lương tháng 3",
        (ga, 30_000_000, 0),
        ("334", 0, 30_000_000),
    )
    post(
        company,
        date(2026, 3, 31),
        "Bảo hiểm người lao động đóng",
        ("334", 3_150_000, 0),
        ("3383", 0, 2_400_000),
        ("3384", 0, 450_000),
        (ui, 0, 300_000),
    )
    post(
        company,
        date(2026, 3, 31),
        "Bảo hiểm doanh nghiệp đóng",
        (ga, 6_450_000, 0),
        ("3383", 0, 5_250_000),
        ("3384", 0, 900_000),
        (ui, 0, 300_000),
    )
    post(
        company,
        date(2026, 3, 31),
        "Phí ngân hàng",
        (ga, 100_000, 0),
        ("1331", 10_000, 0),
        ("1121", 0, 110_000),
    )
    post(company, date(2026, 3, 31), "Khấu hao TSCĐ", (ga, 5_000_000, 0), ("2141", 0, 5_000_000))
    return {"ga": ga, "ui": ui}


def march(company) -> Period:
    return Period.objects.get(company=company, start=MARCH[0])

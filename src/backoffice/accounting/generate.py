"""A deterministic bulk ledger: the same books for the benchmarks and the demo.

``ledger(seed=..., entries=..., years=...)`` yields the entries of a trading
company (sales and purchases with VAT, bank receipts and payments, cash
expenses, bank fees, monthly payroll and depreciation) over ``years`` calendar
years, in date order, with whole-đồng amounts; the same seed always gives the
same books. About 64 % of the entries have two lines and the rest three to
five (~2.5 lines an entry), and the bank account 1121 takes ~20 % of the lines
(the "hot" account of the benchmarks).

The chart is the Circular 99 chart of the company's books (``books_create``)
plus ~400 sub-accounts: one per customer (131xxx), supplier (331xxx),
merchandise line (156xxx) and material (152xxx), and the Circular 200 level-2
splits of 211, 641 and 642 — ~500 postable accounts in all.

Writers: :func:`write_journal_csv` (SPEC §4 ``import-journal`` format),
:func:`write_accounts_csv` (SPEC §4 ``import-accounts``),
:func:`write_beancount` and :func:`write_hledger` (the same ledger for the
anchors of bench/ledger). Loader: :func:`ensure_books` then :func:`bulk_load`
(demo data and bench S7: posted, numbered entries with their balances).
"""

from __future__ import annotations

import calendar
import csv
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# --- the chart ---------------------------------------------------------------

# (code, name, type, parent): accounts the generator posts to or adds under
# the Circular 99 chart. Codes that the chart already has are kept as they are.
_BASE_ACCOUNTS: list[tuple[str, str, str, str]] = [
    ("1111", "Tiền Việt Nam", "asset", "111"),
    ("1121", "Tiền Việt Nam", "asset", "112"),
    ("1331", "Thuế GTGT được khấu trừ của hàng hóa, dịch vụ", "asset", "133"),
    ("1332", "Thuế GTGT được khấu trừ của TSCĐ", "asset", "133"),
    ("141", "Tạm ứng", "asset", ""),
    ("153", "Công cụ, dụng cụ", "asset", ""),
    ("2111", "Nhà cửa, vật kiến trúc", "asset", "211"),
    ("2112", "Máy móc, thiết bị", "asset", "211"),
    ("2113", "Phương tiện vận tải, truyền dẫn", "asset", "211"),
    ("2114", "Thiết bị, dụng cụ quản lý", "asset", "211"),
    ("2141", "Hao mòn TSCĐ hữu hình", "asset", "214"),
    ("242", "Chi phí chờ phân bổ", "asset", ""),
    ("33311", "Thuế GTGT đầu ra", "liability", "3331"),
    ("3334", "Thuế thu nhập doanh nghiệp", "liability", "333"),
    ("3335", "Thuế thu nhập cá nhân", "liability", "333"),
    ("334", "Phải trả người lao động", "liability", ""),
    ("3382", "Kinh phí công đoàn", "liability", "338"),
    ("3383", "Bảo hiểm xã hội", "liability", "338"),
    ("3384", "Bảo hiểm y tế", "liability", "338"),
    ("3386", "Bảo hiểm thất nghiệp", "liability", "338"),
    ("3411", "Các khoản đi vay", "liability", "341"),
    ("4111", "Vốn góp của chủ sở hữu", "equity", "411"),
    ("5111", "Doanh thu bán hàng hóa", "income", "511"),
    ("5113", "Doanh thu cung cấp dịch vụ", "income", "511"),
    ("515", "Doanh thu hoạt động tài chính", "income", ""),
    ("632", "Giá vốn hàng bán", "expense", ""),
    ("635", "Chi phí tài chính", "expense", ""),
    ("6411", "Chi phí nhân viên bán hàng", "expense", "641"),
    ("6412", "Chi phí nguyên vật liệu, bao bì", "expense", "641"),
    ("6413", "Chi phí dụng cụ, đồ dùng", "expense", "641"),
    ("6414", "Chi phí khấu hao TSCĐ (bán hàng)", "expense", "641"),
    ("6415", "Thuế, phí, lệ phí", "expense", "641"),
    ("6417", "Chi phí dịch vụ mua ngoài (bán hàng)", "expense", "641"),
    ("6418", "Chi phí bằng tiền khác (bán hàng)", "expense", "641"),
    ("6421", "Chi phí nhân viên quản lý", "expense", "642"),
    ("6422", "Chi phí vật liệu quản lý", "expense", "642"),
    ("6423", "Chi phí đồ dùng văn phòng", "expense", "642"),
    ("6424", "Chi phí khấu hao TSCĐ (quản lý)", "expense", "642"),
    ("6425", "Thuế, phí và lệ phí", "expense", "642"),
    ("6427", "Chi phí dịch vụ mua ngoài (quản lý)", "expense", "642"),
    ("6428", "Chi phí bằng tiền khác (quản lý)", "expense", "642"),
    ("711", "Thu nhập khác", "income", ""),
    ("811", "Chi phí khác", "expense", ""),
]
N_CUSTOMERS = 180
N_SUPPLIERS = 110
N_GOODS = 130
N_MATERIALS = 40

_FORMS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân"]
_WORDS = [
    "Minh Phát", "Hoàng Long", "Thành Công", "Phú Gia", "An Khang", "Đại Việt", "Sao Mai",
    "Hưng Thịnh", "Tân Tiến", "Bình Minh", "Nam Việt", "Trường Sơn", "Hải Đăng", "Kim Ngân",
    "Thiên Phúc", "Vạn Xuân", "Hòa Bình", "Ánh Dương", "Đông Á", "Phương Nam", "Việt Tiến",
    "Gia Huy", "Bảo Châu", "Quang Minh", "Lộc Phát", "Hồng Hà", "Cửu Long", "Sông Hàn",
]  # fmt: skip
_TRADES = ["Thương mại", "Xây dựng", "Thực phẩm", "Vận tải", "Dịch vụ", "Công nghệ", "Dệt may"]
_GOODS = [
    "Gạo ST25", "Cà phê rang xay", "Nước mắm Phú Quốc", "Hạt điều", "Chè Thái Nguyên",
    "Bánh phở khô", "Dầu ăn", "Đường tinh luyện", "Sữa tươi", "Mì ăn liền", "Xi măng",
    "Thép cuộn", "Gạch men", "Sơn nước", "Ống nhựa", "Dây điện", "Bóng đèn LED", "Quạt điện",
    "Nồi cơm điện", "Giấy A4", "Bút bi", "Vải cotton", "Áo sơ mi", "Giày thể thao",
    "Máy tính xách tay", "Điện thoại", "Tai nghe", "Bàn làm việc", "Ghế văn phòng", "Tủ hồ sơ",
]  # fmt: skip
_MATERIALS = ["Bao bì carton", "Túi nilon", "Nhãn mác", "Băng keo", "Pallet gỗ", "Màng co"]
_EXPENSES = [
    ("6417", "Chi phí vận chuyển hàng bán"),
    ("6418", "Chi tiếp khách"),
    ("6413", "Mua văn phòng phẩm bộ phận bán hàng"),
    ("6427", "Thanh toán tiền điện"),
    ("6427", "Thanh toán tiền nước"),
    ("6427", "Cước viễn thông, internet"),
    ("6427", "Thuê văn phòng"),
    ("6423", "Mua văn phòng phẩm"),
    ("6428", "Chi công tác phí"),
    ("6428", "Chi phí hội nghị"),
    ("6415", "Lệ phí hải quan"),
    ("6425", "Lệ phí môn bài"),
]
_BANKS = ["Vietcombank", "BIDV", "VietinBank", "Techcombank", "ACB", "MB", "VPBank"]


@dataclass(frozen=True)
class GenAccount:
    code: str
    name: str
    type: str
    parent: str  # "" for a level-1 account


def _partner_name(rng: random.Random, index: int) -> str:
    return f"{rng.choice(_FORMS)} {rng.choice(_TRADES)} {rng.choice(_WORDS)} {index}"


def chart(seed: int = 1) -> list[GenAccount]:
    """The postable accounts of the generated ledger, in creation order."""
    rng = random.Random(f"chart-{seed}")  # noqa: S311 - deterministic data, not security
    accounts = [GenAccount(*row) for row in _BASE_ACCOUNTS]
    for i in range(1, N_CUSTOMERS + 1):
        name = f"Phải thu - {_partner_name(rng, i)}"
        accounts.append(GenAccount(f"131{i:03d}", name, "asset", "131"))
    for i in range(1, N_SUPPLIERS + 1):
        name = f"Phải trả - {_partner_name(rng, i)}"
        accounts.append(GenAccount(f"331{i:03d}", name, "liability", "331"))
    for i in range(1, N_GOODS + 1):
        name = f"Hàng hóa - {_GOODS[(i - 1) % len(_GOODS)]} loại {(i - 1) // len(_GOODS) + 1}"
        accounts.append(GenAccount(f"156{i:03d}", name, "asset", "156"))
    for i in range(1, N_MATERIALS + 1):
        name = f"Vật liệu - {_MATERIALS[(i - 1) % len(_MATERIALS)]} mã {i}"
        accounts.append(GenAccount(f"152{i:03d}", name, "asset", "152"))
    return accounts


# --- the entries --------------------------------------------------------------


@dataclass
class GenEntry:
    key: int
    date: date
    journal: str  # GEN / CASH / BANK / SALE / PUR / PAY
    description: str
    # (account code, debit, credit): whole đồng, one side > 0
    lines: list[tuple[str, int, int]] = field(default_factory=list)


# Kinds of daily entry and their weights (tuned: ~64 % two-line entries, ~2.5
# lines an entry, ~20 % of the lines on 1121).
_KINDS = [
    ("sale", 22),
    ("cogs", 12),
    ("receipt_bank", 23),
    ("receipt_cash", 3),
    ("purchase", 10),
    ("pay_supplier", 17),
    ("expense_cash", 6),
    ("expense_bank", 3),
    ("bank_fee", 5),
    ("withdrawal", 2),
    ("deposit", 1),
    ("material", 3),
    ("interest", 1),
]


def _amount(rng: random.Random, low: int, high: int) -> int:
    """A round amount in đồng (a multiple of 1,000)."""
    lo = low // 1000
    return (lo + int(rng.random() * (high // 1000 + 1 - lo))) * 1000


def _ri(rng: random.Random, low: int, high: int) -> int:
    """low <= n < high (random.randrange, about 4 x faster)."""
    return low + int(rng.random() * (high - low))


def _pick(rng: random.Random, seq: Any) -> Any:
    return seq[int(rng.random() * len(seq))]


def _distinct(rng: random.Random, n: int, high: int) -> list[int]:
    """n distinct numbers in 1..high."""
    out: list[int] = []
    while len(out) < n:
        k = 1 + int(rng.random() * high)
        if k not in out:
            out.append(k)
    return out


def _monthly(key: int, day: date, rng: random.Random) -> list[GenEntry]:
    """Month-end entries: payroll, deductions, insurance, payment, depreciation."""
    month = f"{day:%m/%Y}"
    sales, admin = _amount(rng, 400_000_000, 600_000_000), _amount(rng, 300_000_000, 450_000_000)
    gross = sales + admin
    si, hi, ui = gross * 8 // 100, gross * 15 // 1000, gross // 100
    pit = _amount(rng, 20_000_000, 40_000_000)
    net = gross - si - hi - ui - pit
    er_si, er_hi, er_ui, union = gross * 175 // 1000, gross * 3 // 100, gross // 100, gross // 50
    dep_s, dep_a = _amount(rng, 30_000_000, 40_000_000), _amount(rng, 50_000_000, 60_000_000)
    return [
        GenEntry(
            key, day, "PAY", f"Tính lương phải trả tháng {month}",
            [("6411", sales, 0), ("6421", admin, 0), ("334", 0, gross)],
        ),
        GenEntry(
            key + 1, day, "PAY", f"Khấu trừ BHXH, BHYT, BHTN, thuế TNCN tháng {month}",
            [("334", si + hi + ui + pit, 0), ("3383", 0, si), ("3384", 0, hi),
             ("3386", 0, ui), ("3335", 0, pit)],
        ),
        GenEntry(
            key + 2, day, "PAY", f"Trích BHXH, BHYT, BHTN, KPCĐ tháng {month}",
            [("6421", er_si + er_hi + er_ui + union, 0), ("3383", 0, er_si),
             ("3384", 0, er_hi), ("3386", 0, er_ui), ("3382", 0, union)],
        ),
        GenEntry(
            key + 3, day, "BANK", f"Chuyển khoản thanh toán lương tháng {month}",
            [("334", net, 0), ("1121", 0, net)],
        ),
        GenEntry(
            key + 4, day, "GEN", f"Trích khấu hao TSCĐ tháng {month}",
            [("6414", dep_s, 0), ("6424", dep_a, 0), ("2141", 0, dep_s + dep_a)],
        ),
    ]  # fmt: skip


def _daily(kind: str, key: int, day: date, rng: random.Random) -> GenEntry:
    r = rng
    invoice = f"HĐ {_ri(r, 1, 10**7):07d}"
    if kind == "sale":
        c = _ri(r, 1, N_CUSTOMERS + 1)
        base = _amount(r, 2_000_000, 400_000_000)
        vat = base * (8 if r.random() < 0.3 else 10) // 100
        service = r.random() < 0.15
        what = "Cung cấp dịch vụ cho" if service else "Bán hàng cho"
        return GenEntry(
            key, day, "SALE", f"{what} khách hàng {c:03d} theo {invoice}",
            [(f"131{c:03d}", base + vat, 0), ("5113" if service else "5111", 0, base),
             ("33311", 0, vat)],
        )  # fmt: skip
    if kind == "cogs":
        n = _pick(r, (1, 1, 1, 2, 3))
        goods = _distinct(r, n, N_GOODS)
        costs = [_amount(r, 1_000_000, 200_000_000) for _ in goods]
        lines = [("632", sum(costs), 0)] + [
            (f"156{g:03d}", 0, cost) for g, cost in zip(goods, costs, strict=True)
        ]
        return GenEntry(key, day, "GEN", f"Xuất kho giá vốn hàng bán theo {invoice}", lines)
    if kind == "receipt_bank":
        c = _ri(r, 1, N_CUSTOMERS + 1)
        amount = _amount(r, 1_000_000, 500_000_000)
        bank = _pick(r, _BANKS)
        return GenEntry(
            key, day, "BANK", f"Thu tiền khách hàng {c:03d} qua {bank} theo {invoice}",
            [("1121", amount, 0), (f"131{c:03d}", 0, amount)],
        )  # fmt: skip
    if kind == "receipt_cash":
        c = _ri(r, 1, N_CUSTOMERS + 1)
        amount = _amount(r, 500_000, 50_000_000)
        return GenEntry(
            key, day, "CASH", f"Thu tiền mặt khách hàng {c:03d} theo {invoice}",
            [("1111", amount, 0), (f"131{c:03d}", 0, amount)],
        )  # fmt: skip
    if kind == "purchase":
        s = _ri(r, 1, N_SUPPLIERS + 1)
        n = _pick(r, (1, 1, 2, 3))
        goods = _distinct(r, n, N_GOODS)
        costs = [_amount(r, 2_000_000, 300_000_000) for _ in goods]
        vat = sum(costs) // 10
        lines = [(f"156{g:03d}", cost, 0) for g, cost in zip(goods, costs, strict=True)]
        lines += [("1331", vat, 0), (f"331{s:03d}", 0, sum(costs) + vat)]
        return GenEntry(key, day, "PUR", f"Mua hàng của nhà cung cấp {s:03d} theo {invoice}", lines)
    if kind == "pay_supplier":
        s = _ri(r, 1, N_SUPPLIERS + 1)
        amount = _amount(r, 1_000_000, 500_000_000)
        return GenEntry(
            key, day, "BANK", f"Chuyển khoản trả nợ nhà cung cấp {s:03d} theo {invoice}",
            [(f"331{s:03d}", amount, 0), ("1121", 0, amount)],
        )  # fmt: skip
    if kind in ("expense_cash", "expense_bank"):
        account, label = _pick(r, _EXPENSES)
        amount = _amount(r, 200_000, 30_000_000)
        money = "1111" if kind == "expense_cash" else "1121"
        journal = "CASH" if kind == "expense_cash" else "BANK"
        if kind == "expense_bank" or r.random() < 0.4:
            vat = amount // 10
            lines = [(account, amount, 0), ("1331", vat, 0), (money, 0, amount + vat)]
        else:
            lines = [(account, amount, 0), (money, 0, amount)]
        return GenEntry(key, day, journal, f"{label} theo {invoice}", lines)
    if kind == "bank_fee":
        fee = _amount(r, 11_000, 550_000)
        return GenEntry(
            key, day, "BANK", f"Phí chuyển tiền {_pick(r, _BANKS)}",
            [("6428", fee, 0), ("1121", 0, fee)],
        )  # fmt: skip
    if kind == "withdrawal":
        amount = _amount(r, 10_000_000, 200_000_000)
        return GenEntry(
            key, day, "CASH", "Rút tiền gửi ngân hàng về nhập quỹ tiền mặt",
            [("1111", amount, 0), ("1121", 0, amount)],
        )  # fmt: skip
    if kind == "deposit":
        amount = _amount(r, 10_000_000, 100_000_000)
        return GenEntry(
            key, day, "BANK", "Nộp tiền mặt vào tài khoản ngân hàng",
            [("1121", amount, 0), ("1111", 0, amount)],
        )  # fmt: skip
    if kind == "material":
        m = _ri(r, 1, N_MATERIALS + 1)
        amount = _amount(r, 500_000, 20_000_000)
        return GenEntry(
            key, day, "GEN", f"Xuất vật liệu đóng gói mã {m} cho bộ phận bán hàng",
            [("6412", amount, 0), (f"152{m:03d}", 0, amount)],
        )  # fmt: skip
    assert kind == "interest", kind
    amount = _amount(r, 100_000, 5_000_000)
    return GenEntry(
        key, day, "BANK", f"Lãi tiền gửi không kỳ hạn tháng {day:%m/%Y}",
        [("1121", amount, 0), ("515", 0, amount)],
    )  # fmt: skip


def _opening(key: int, day: date) -> GenEntry:
    """Capital contribution and stock at the start: the first entry."""
    return GenEntry(
        key, day, "GEN", "Chủ sở hữu góp vốn bằng tiền gửi ngân hàng và tiền mặt",
        [("1121", 50_000_000_000, 0), ("1111", 2_000_000_000, 0), ("4111", 0, 52_000_000_000)],
    )  # fmt: skip


def ledger(
    *, seed: int = 1, entries: int = 400_000, years: int = 3, start_year: int = 2024
) -> Iterator[GenEntry]:
    """Exactly ``entries`` entries (at least 1 + 5 a month) over ``years``
    calendar years from 1 January ``start_year``, in date order."""
    rng = random.Random(seed)  # noqa: S311 - deterministic data, not security
    first, last = date(start_year, 1, 1), date(start_year + years - 1, 12, 31)
    days = (last - first).days + 1
    months = 12 * years
    daily_total = entries - 1 - 5 * months
    if daily_total < 0:
        raise ValueError(f"need at least {1 + 5 * months} entries for {years} years")
    kinds = [k for k, _ in _KINDS]
    weights = [w for _, w in _KINDS]
    key = 1
    yield _opening(key, first)
    key += 1
    made = 0
    for i in range(days):
        day = first + timedelta(days=i)
        quota = daily_total * (i + 1) // days - made
        made += quota
        for kind in rng.choices(kinds, weights, k=quota):
            yield _daily(kind, key, day, rng)
            key += 1
        if day.day == calendar.monthrange(day.year, day.month)[1]:
            for entry in _monthly(key, day, rng):
                yield entry
                key += 1


# --- writers -------------------------------------------------------------------

_BEAN_ROOT = {
    "asset": "Assets",
    "liability": "Liabilities",
    "equity": "Equity",
    "income": "Income",
    "expense": "Expenses",
    "off_balance": "Assets",
}


def account_path(code: str, type_: str) -> str:
    """The beancount/hledger name of an account: ``Assets:112:1121``."""
    root = _BEAN_ROOT[type_]
    return f"{root}:{code}" if len(code) <= 3 else f"{root}:{code[:3]}:{code}"


def write_journal_csv(path: Path | str, items: Iterable[GenEntry]) -> tuple[int, int]:
    """SPEC §4 ``entry,date,journal,description,account,debit,credit,currency``."""
    n_entries = n_lines = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["entry", "date", "journal", "description", "account", "debit", "credit", "currency"])  # fmt: skip
        for e in items:
            n_entries += 1
            iso = e.date.isoformat()
            for code, debit, credit in e.lines:
                w.writerow([e.key, iso, e.journal, e.description, code, debit or "", credit or "", "VND"])  # fmt: skip
                n_lines += 1
    return n_entries, n_lines


def write_accounts_csv(path: Path | str, accounts: list[GenAccount]) -> int:
    """SPEC §4 ``code,name,type,parent``."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "type", "parent"])
        for a in accounts:
            w.writerow([a.code, a.name, a.type, a.parent])
    return len(accounts)


def _postings(e: GenEntry, types: dict[str, str]) -> Iterator[tuple[str, int]]:
    for code, debit, credit in e.lines:
        yield account_path(code, types[code]), debit - credit


def write_beancount(
    path: Path | str, items: Iterable[GenEntry], accounts: list[GenAccount], opened: date
) -> int:
    """The same ledger for beancount 3: VND, ``open`` directives, debit positive."""
    types = {a.code: a.type for a in accounts}
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('option "title" "Back Office bench ledger"\n')
        fh.write('option "operating_currency" "VND"\n\n')
        for a in accounts:
            fh.write(f"{opened.isoformat()} open {account_path(a.code, a.type)} VND\n")
        fh.write("\n")
        for e in items:
            n += 1
            out = [f'{e.date.isoformat()} * "{e.description}"\n']
            for name, amount in _postings(e, types):
                out.append(f"  {name}  {amount} VND\n")
            out.append("\n")
            fh.write("".join(out))
    return n


def write_hledger(
    path: Path | str, items: Iterable[GenEntry], accounts: list[GenAccount], opened: date
) -> int:
    """The same ledger as an hledger journal (``account`` declarations)."""
    types = {a.code: a.type for a in accounts}
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for a in accounts:
            fh.write(f"account {account_path(a.code, a.type)}\n")
        fh.write("\n")
        for e in items:
            n += 1
            out = [f"{e.date.isoformat()} * {e.description}\n"]
            for name, amount in _postings(e, types):
                out.append(f"    {name}  {amount} VND\n")
            out.append("\n")
            fh.write("".join(out))
    return n


def write_all(
    directory: Path | str,
    *,
    seed: int = 1,
    entries: int = 400_000,
    years: int = 3,
    start_year: int = 2024,
) -> dict[str, Any]:
    """Write accounts.csv, journal.csv, ledger.beancount and ledger.journal
    (the same ledger four ways) into ``directory``; returns the paths and counts."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    params = {"seed": seed, "entries": entries, "years": years, "start_year": start_year}
    accounts = chart(seed)
    opened = date(start_year, 1, 1)
    out: dict[str, Any] = {"dir": d, **params}
    out["accounts_csv"] = d / "accounts.csv"
    write_accounts_csv(out["accounts_csv"], accounts)
    out["journal_csv"] = d / "journal.csv"
    out["entries"], out["lines"] = write_journal_csv(out["journal_csv"], ledger(**params))
    out["beancount"] = d / "ledger.beancount"
    write_beancount(out["beancount"], ledger(**params), accounts, opened)
    out["hledger"] = d / "ledger.journal"
    write_hledger(out["hledger"], ledger(**params), accounts, opened)
    return out


# --- loading into the books ----------------------------------------------------------


def _ledger_services() -> Any:
    try:
        from backoffice.accounting import services
    except ModuleNotFoundError:  # the services module is being split: its parts
        from backoffice.accounting import charts as services
    return services


def ensure_books(
    company: Any, *, actor: Any, seed: int = 1, years: int = 3, start_year: int = 2024
) -> dict[str, int]:
    """Make ``company``'s books ready for the generated ledger: the generator's
    accounts the chart lacks (``account_create``, which makes their parents
    non-postable) and one fiscal year per generated calendar year
    (``fiscal_year_create``). Idempotent; returns the account ids by code."""
    from backoffice.accounting.models import Account, FiscalYear

    services = _ledger_services()
    have = set(Account.objects.filter(company=company).values_list("code", flat=True))
    for a in chart(seed):
        if a.code in have:
            continue
        if a.parent and a.parent not in have:  # an empty chart: add the parent first
            services.account_create(
                actor=actor, company=company, code=a.parent, name=f"Tài khoản {a.parent}",
                type=a.type,
            )  # fmt: skip
            have.add(a.parent)
        services.account_create(
            actor=actor, company=company, code=a.code, name=a.name, type=a.type,
            parent=a.parent or None,
        )  # fmt: skip
        have.add(a.code)
    for year in range(start_year, start_year + years):
        first = date(year, 1, 1)
        if not FiscalYear.objects.filter(
            company=company, start__lte=first, end__gte=first
        ).exists():
            services.fiscal_year_create(actor=actor, company=company, start=first)
    return dict(Account.objects.filter(company=company).values_list("code", "pk"))


class _L:
    """What the posting rule for voucher types reads of a line."""

    __slots__ = ("account", "credit", "debit")

    def __init__(self, account: Any, debit: int, credit: int) -> None:
        self.account, self.debit, self.credit = account, debit, credit


def bulk_load(
    company: Any,
    items: Iterable[GenEntry],
    *,
    actor: Any = "demo",
    batch: int = 50_000,
    source: str = "demo",
    progress: Any = None,
) -> tuple[int, int]:
    """Post the generated entries in bulk, a batch per transaction, through the
    storing half of ``journal_import`` (``imports._store``: numbers reserved with
    one sequence UPDATE per series, lines and entries inserted with
    ``executemany``, the database trigger checking each entry balances,
    AccountBalance upserted, one audit event per batch) — ONE implementation
    of what posting leaves behind. What it skips is the CSV parsing and the
    per-row validation: the generator's entries are valid by construction
    (postable accounts, open periods, balanced, whole đồng). Voucher types
    come from the posting service's rule. Returns (entries, lines)."""
    from django.db import connection

    from backoffice.accounting.ledger import refresh_statistics
    from backoffice.accounting.models import Account, Journal, Period
    from backoffice.core.collector import collector_paused

    accounts = {a.code: a for a in Account.objects.filter(company=company)}
    journals = {j.code: j for j in Journal.objects.filter(company=company)}
    periods = {
        (p.start.year, p.start.month): p
        for p in Period.objects.filter(company=company).select_related("fiscal_year")
    }
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        # For this connection: statement journals in memory (every INSERT into a
        # table with triggers opens one; in a temp file it makes the line and
        # entry inserts ~3 x slower), and a page cache big enough for the index
        # inserts of a million lines (the default 2 MB thrashes, ~2 x slower).
        # (temp_store cannot change inside a transaction: the demo loads in one.)
        with connection.cursor() as cur:
            if not connection.in_atomic_block:
                cur.execute("PRAGMA temp_store = MEMORY")
            cur.execute("PRAGMA cache_size = -262144")
    n_entries = n_lines = 0
    chunk: list[GenEntry] = []

    def flush() -> None:
        nonlocal n_entries, n_lines
        e, ln = _load_batch(company, chunk, accounts, journals, periods, actor, source)
        n_entries, n_lines = n_entries + e, n_lines + ln
        chunk.clear()
        if progress is not None:
            progress(n_entries, n_lines)

    with collector_paused():  # batches of 50,000 entries: see core.collector
        for e in items:
            chunk.append(e)
            if len(chunk) >= batch:
                flush()
        if chunk:
            flush()
    refresh_statistics(n_lines)
    return n_entries, n_lines


def _load_batch(
    company: Any,
    chunk: list[GenEntry],
    accounts: dict[str, Any],
    journals: dict[str, Any],
    periods: dict[tuple[int, int], Any],
    actor: Any,
    source: str,
) -> tuple[int, int]:
    from decimal import Decimal

    from backoffice.accounting import imports
    from backoffice.accounting.ledger import choose_voucher_type

    home = company.currency
    ids = {code: a.pk for code, a in accounts.items()}
    entries = []
    n_lines = 0
    for g in chunk:
        journal = journals[g.journal]
        e = imports._Entry(
            row=g.key,
            key="",
            date=g.date,
            journal=journal,
            description=g.description,
            currency=home,
            lines=[
                (0, ids[code], Decimal(d), Decimal(c), Decimal(d - c), "") for code, d, c in g.lines
            ],
            period=periods[(g.date.year, g.date.month)],
        )
        e.voucher_type = choose_voucher_type(
            journal, None, [_L(accounts[code], d, c) for code, d, c in g.lines]
        )
        n_lines += len(g.lines)
        entries.append(e)
    imports._store(actor, company, entries, lambda *a: None, n_lines, source)
    return len(entries), n_lines

"""Report screens, exports and CLI: figures on screen in Vietnamese format,
drill-down links, XLSX/PDF that open and contain the figures; refusal for a
user without accounting.view_reports and for another company's user."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse

from backoffice.accounting import exports, reports
from backoffice.accounting.closing import period_close
from backoffice.accounting.models import Entry
from backoffice.accounting.tests.reports_helpers import MARCH, books, march, post, textbook_month
from backoffice.core.enums import Role

URL_NAMES = [
    "trial_balance", "general_journal", "ledger", "cash_book", "bank_book",
    "balance_sheet", "income_statement", "cash_flow",
]  # fmt: skip
RANGE = "?from=2026-03-01&to=2026-03-31"


@pytest.fixture
def closed_month(make_company):
    company = books(make_company, "ALPHA", name="Công ty TNHH Alpha", tax_code="0101234567")
    textbook_month(company)
    period_close(actor="test", period=march(company), acknowledge=["bank_unconfirmed"])
    return company


def _client(desk_login, user, company):
    return desk_login(Client(), user, company)


@pytest.mark.django_db
def test_trial_balance_screen_and_drill_down(closed_month, make_user, desk_login):
    user = make_user(closed_month, roles=[Role.DATA_ANALYST])
    client = _client(desk_login, user, closed_month)
    r = client.get(reverse("accounting:trial_balance") + RANGE)
    assert r.status_code == 200
    html = r.content.decode()
    assert "735.890.000" in html
    assert "1.983.710.000" in html
    assert 'id="nav-sidebar"' in html or "sidebar" in html  # inside the desk layout
    ledger_url = (
        reverse("accounting:ledger") + "?account=1121&amp;from=2026-03-01&amp;to=2026-03-31"
    )
    assert ledger_url in html
    r = client.get(reverse("accounting:ledger") + "?account=1121&from=2026-03-01&to=2026-03-31")
    assert r.status_code == 200
    html = r.content.decode()
    capital = Entry.objects.get(company=closed_month, description="Nhận vốn góp")
    assert reverse("admin:accounting_entry_change", args=[capital.pk]) in html
    assert "02/03/2026" in html
    assert "1.000.000.000" in html
    assert "4111" in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", URL_NAMES)
def test_every_screen_renders_and_exports(closed_month, make_user, desk_login, name):
    user = make_user(closed_month, roles=[Role.ACCOUNTANT])
    client = _client(desk_login, user, closed_month)
    url = reverse(f"accounting:{name}") + RANGE + ("&account=1121" if name == "ledger" else "")
    r = client.get(url)
    assert r.status_code == 200, r.content[:500]
    assert "Mẫu số" in r.content.decode()
    for fmt in ("xlsx", "pdf"):
        r = client.get(url + f"&export={fmt}")
        assert r.status_code == 200
        assert r["Content-Disposition"].endswith(f'.{fmt}"')


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["general_journal", "ledger", "bank_book"])
def test_a_page_past_the_end_is_empty(closed_month, make_user, desk_login, name):
    user = make_user(closed_month, roles=[Role.ACCOUNTANT])
    client = _client(desk_login, user, closed_month)
    url = reverse(f"accounting:{name}") + RANGE + ("&account=1121" if name == "ledger" else "")
    assert client.get(url + "&page=1").context["page"].rows
    for page in ("99999999999999999999", "2"):
        r = client.get(url + f"&page={page}")
        assert r.status_code == 200
        assert r.context["page"].rows == []


@pytest.mark.django_db
def test_xlsx_export_holds_numbers(closed_month, make_user, desk_login):
    from openpyxl import load_workbook

    user = make_user(closed_month, roles=[Role.ACCOUNTANT])
    client = _client(desk_login, user, closed_month)
    r = client.get(reverse("accounting:balance_sheet") + "?to=2026-03-31&export=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    assert any("Công ty TNHH Alpha" in str(v) for v in cells)
    assert any("0101234567" in str(v) for v in cells)
    assert 1_169_900_000 in cells
    assert cells[1_169_900_000].number_format == "#,##0"
    assert -5_000_000 in cells  # accumulated depreciation, a number, negative
    tb = exports.trial_balance_table(reports.trial_balance(company=closed_month))
    ws = load_workbook(io.BytesIO(exports.to_xlsx(tb, closed_month))).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert 735_890_000 in values
    assert 1_983_710_000 in values


@pytest.mark.django_db
def test_pdf_export_has_vietnamese_form_and_figures(closed_month, make_user, desk_login):
    from pypdf import PdfReader

    user = make_user(closed_month, roles=[Role.ACCOUNTANT])
    client = _client(desk_login, user, closed_month)
    r = client.get(reverse("accounting:trial_balance") + RANGE + "&export=pdf")
    assert r["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    for needle in (
        "Đơn vị",
        "Công ty TNHH Alpha",
        "S06-DN",
        "735.890.000",
        "Kế toán trưởng",
        "Giám đốc",
    ):
        assert needle in text, needle
    st = reports.income_statement(company=closed_month, date_from=MARCH[0], date_to=MARCH[1])
    text = (
        PdfReader(io.BytesIO(exports.to_pdf(exports.statement_table(st), closed_month)))
        .pages[0]
        .extract_text()
    )
    assert "B02-DN" in text
    assert "8.450.000" in text
    assert "Người lập biểu" in text


@pytest.mark.django_db
def test_missing_pdf_fonts_give_a_clear_error(closed_month, settings, tmp_path):
    from backoffice.core.exceptions import ApplicationError

    settings.BACKOFFICE = {**settings.BACKOFFICE, "PDF_FONT_DIR": str(tmp_path)}
    tb = exports.trial_balance_table(reports.trial_balance(company=closed_month))
    with pytest.raises(ApplicationError) as exc:
        exports.to_pdf(tb, closed_month)
    assert exc.value.code == "pdf_fonts_missing"
    assert "DejaVuSans.ttf" in exc.value.message


@pytest.mark.django_db
@pytest.mark.parametrize("name", URL_NAMES)
def test_refused_without_view_reports(closed_month, make_user, desk_login, name):
    hr = make_user(closed_month, roles=[Role.HR_OFFICER])
    client = _client(desk_login, hr, closed_month)
    url = reverse(f"accounting:{name}") + RANGE + ("&account=1121" if name == "ledger" else "")
    for suffix in ("", "&export=xlsx", "&export=pdf"):
        r = client.get(url + suffix)
        assert r.status_code == 403
        assert b"735.890.000" not in r.content
        assert b"735890000" not in r.content
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert "/desk/login/" in anonymous["Location"]


@pytest.mark.django_db
def test_other_company_user_sees_only_their_own_books(
    closed_month, make_company, make_user, desk_login
):
    bravo = books(make_company, "BRAVO", name="Công ty Bravo")
    post(bravo, date(2026, 3, 2), "Góp vốn Bravo", ("1121", 777_000, 0), ("4111", 0, 777_000))
    bravo_user = make_user(bravo, roles=[Role.CHIEF_ACCOUNTANT])
    client = _client(desk_login, bravo_user, bravo)
    for name in URL_NAMES:
        url = reverse(f"accounting:{name}") + RANGE + ("&account=1121" if name == "ledger" else "")
        for suffix in ("", "&export=xlsx"):
            r = client.get(url + suffix)
            assert r.status_code == 200
            assert b"735.890.000" not in r.content
            assert b"Alpha" not in r.content
    html = client.get(reverse("accounting:trial_balance")).content.decode()
    assert "777.000" in html
    # a user with no role in Alpha cannot switch the report to it: the session's
    # company is re-checked on each request and falls back to their own
    client = _client(desk_login, bravo_user, closed_month)
    html = client.get(reverse("accounting:trial_balance") + RANGE).content.decode()
    assert "735.890.000" not in html


@pytest.mark.django_db
def test_cli_trial_balance_json(closed_month):
    from backoffice.cli import main

    runner = CliRunner()
    res = runner.invoke(
        main,
        ["accounting", "trial-balance", "--company", "ALPHA", "--from", "2026-03-01",
         "--to", "2026-03-31", "--format", "json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    keys = ["code", "name", "opening_debit", "opening_credit", "period_debit", "period_credit",
            "closing_debit", "closing_credit"]  # fmt: skip
    assert all(list(r) == keys for r in rows)
    bank = next(r for r in rows if r["code"] == "1121")
    assert bank == {
        "code": "1121", "name": bank["name"], "opening_debit": "0", "opening_credit": "0",
        "period_debit": "1000000000", "period_credit": "264110000",
        "closing_debit": "735890000", "closing_credit": "0",
    }  # fmt: skip
    # without dates: the same (first entry to last)
    res2 = runner.invoke(
        main, ["accounting", "trial-balance", "--company", "ALPHA", "--format", "json"]
    )
    assert json.loads(res2.output) == rows
    csv_out = runner.invoke(
        main, ["accounting", "trial-balance", "--company", "ALPHA", "--format", "csv"]
    )
    assert csv_out.output.splitlines()[0] == ",".join(keys)
    bad = runner.invoke(main, ["accounting", "trial-balance", "--company", "NOPE"])
    assert bad.exit_code != 0
    assert "unknown company" in bad.output
    bad = runner.invoke(
        main, ["accounting", "trial-balance", "--company", "ALPHA", "--from", "03/2026"]
    )
    assert bad.exit_code != 0


@pytest.mark.django_db
def test_cli_report_and_close(make_company, tmp_path):
    from openpyxl import load_workbook

    from backoffice.cli import main

    company = books(make_company, "CLICO")
    textbook_month(company)
    runner = CliRunner()
    res = runner.invoke(main, ["accounting", "close", "--company", "CLICO", "--period", "2026-03"])
    assert res.exit_code != 0
    assert "bank_unconfirmed" in res.output
    res = runner.invoke(
        main,
        ["accounting", "close", "--company", "CLICO", "--period", "2026-03",
         "--acknowledge", "bank_unconfirmed"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "8450000" in res.output
    res = runner.invoke(
        main,
        ["accounting", "report", "income-statement", "--company", "CLICO", "--from", "2026-03-01",
         "--to", "2026-03-31", "--format", "json"],
    )  # fmt: skip
    lines = {ln["code"]: ln["amount"] for ln in json.loads(res.output)}
    assert lines["60"] == "8450000"
    out = tmp_path / "bs.xlsx"
    res = runner.invoke(
        main,
        ["accounting", "report", "balance-sheet", "--company", "CLICO", "--to", "2026-03-31",
         "--output", str(out)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    values = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
    assert 1_169_900_000 in values

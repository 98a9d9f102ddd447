"""The textbook month (tests/reports_helpers.py) on Circular 99 and Circular 133
books: exact trial balance and statements, computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.accounting import reports
from backoffice.accounting.closing import period_close
from backoffice.accounting.tests.reports_helpers import MARCH, books, march, textbook_month

D = Decimal

# code: (period debit, period credit, closing debit, closing credit); opening is zero.
TB_TT99 = {
    "1121": (1_000_000_000, 264_110_000, 735_890_000, 0),
    "131": (165_000_000, 0, 165_000_000, 0),
    "1331": (10_010_000, 0, 10_010_000, 0),
    "1332": (24_000_000, 0, 24_000_000, 0),
    "156": (100_000_000, 100_000_000, 0, 0),
    "211": (240_000_000, 0, 240_000_000, 0),
    "2141": (0, 5_000_000, 0, 5_000_000),
    "331": (0, 110_000_000, 0, 110_000_000),
    "33311": (0, 15_000_000, 0, 15_000_000),
    "334": (3_150_000, 30_000_000, 0, 26_850_000),
    "3383": (0, 7_650_000, 0, 7_650_000),
    "3384": (0, 1_350_000, 0, 1_350_000),
    "3386": (0, 600_000, 0, 600_000),
    "4111": (0, 1_000_000_000, 0, 1_000_000_000),
    "4212": (0, 8_450_000, 0, 8_450_000),
    "5111": (150_000_000, 150_000_000, 0, 0),
    "632": (100_000_000, 100_000_000, 0, 0),
    "642": (41_550_000, 41_550_000, 0, 0),
    "911": (150_000_000, 150_000_000, 0, 0),
}
TB_TOTAL = (1_983_710_000, 1_983_710_000, 1_174_900_000, 1_174_900_000)

BS_TT99 = {
    "110": 735_890_000, "111": 735_890_000, "112": 0, "120": 0,
    "130": 165_000_000, "131": 165_000_000, "132": 0,
    "140": 0, "141": 0, "150": 0,
    "160": 34_010_000, "161": 0, "162": 34_010_000,
    "100": 934_900_000,
    "222": 240_000_000, "223": -5_000_000, "221": 235_000_000, "220": 235_000_000,
    "230": 0, "240": 0, "250": 0, "260": 0, "270": 0,
    "200": 235_000_000,
    "280": 1_169_900_000,
    "311": 110_000_000, "312": 0, "313": 0, "314": 15_000_000, "315": 26_850_000,
    "320": 9_600_000, "321": 0,
    "310": 161_450_000, "330": 0, "300": 161_450_000,
    "411": 1_000_000_000, "421": 8_450_000, "410": 1_008_450_000, "400": 1_008_450_000,
    "440": 1_169_900_000,
}  # fmt: skip
IS_TT99 = {
    "01": 150_000_000, "02": 0, "10": 150_000_000, "11": 100_000_000, "20": 50_000_000,
    "21": 0, "22": 0, "23": 0, "25": 0, "26": 41_550_000, "30": 8_450_000,
    "31": 0, "32": 0, "40": 0, "50": 8_450_000, "51": 0, "52": 0, "60": 8_450_000,
}  # fmt: skip
CF_TT99 = {
    "01": 8_450_000, "02": 5_000_000, "08": 13_450_000,
    "09": -199_010_000, "10": 0, "11": 161_450_000, "12": 0, "15": 0, "17": 0,
    "20": -24_110_000,
    "21": -240_000_000, "30": -240_000_000,
    "31": 1_000_000_000, "33": 0, "34": 0, "36": 0, "40": 1_000_000_000,
    "50": 735_890_000, "60": 0, "61": 0, "70": 735_890_000,
}  # fmt: skip

BS_TT133 = {
    "110": 735_890_000, "120": 0, "131": 165_000_000, "130": 165_000_000, "140": 0,
    "151": 240_000_000, "152": -5_000_000, "150": 235_000_000, "160": 0, "170": 0,
    "181": 34_010_000, "180": 34_010_000, "200": 1_169_900_000,
    "311": 110_000_000, "313": 15_000_000, "314": 26_850_000, "315": 9_600_000,
    "316": 0, "300": 161_450_000,
    "411": 1_000_000_000, "417": 8_450_000, "400": 1_008_450_000, "500": 1_169_900_000,
}  # fmt: skip
IS_TT133 = {
    "01": 150_000_000, "02": 0, "10": 150_000_000, "11": 100_000_000, "20": 50_000_000,
    "21": 0, "22": 0, "24": 41_550_000, "30": 8_450_000, "40": 0, "50": 8_450_000,
    "51": 0, "60": 8_450_000,
}  # fmt: skip
CF_TT133 = {
    "01": 8_450_000, "02": 5_000_000, "08": 13_450_000, "09": -199_010_000,
    "11": 161_450_000, "14": 0, "16": 0, "20": -24_110_000, "21": -240_000_000,
    "30": -240_000_000, "31": 1_000_000_000, "35": 0, "40": 1_000_000_000,
    "50": 735_890_000, "60": 0, "70": 735_890_000,
}  # fmt: skip


def _closed_month(make_company, code, chart):
    company = books(make_company, code, chart=chart)
    textbook_month(company)
    result = period_close(actor="test", period=march(company), acknowledge=["bank_unconfirmed"])
    assert result.profit == D(8_450_000)
    return company


def _assert_lines(statement, expected):
    got = {code: statement.amount(code) for code in expected}
    assert got == {code: D(v) for code, v in expected.items()}


@pytest.mark.django_db
def test_textbook_month_tt99_trial_balance(make_company):
    company = _closed_month(make_company, "TT99CO", "tt99")
    tb = reports.trial_balance(company=company, date_from=MARCH[0], date_to=MARCH[1])
    rows = {r.code: r for r in tb}
    assert set(rows) == set(TB_TT99)
    for code, (pd, pc, cd, cc) in TB_TT99.items():
        r = rows[code]
        assert (r.opening_debit, r.opening_credit) == (0, 0), code
        assert (r.period_debit, r.period_credit, r.closing_debit, r.closing_credit) == (
            D(pd),
            D(pc),
            D(cd),
            D(cc),
        ), code
    t = tb.total
    assert (t.period_debit, t.period_credit, t.closing_debit, t.closing_credit) == tuple(
        D(v) for v in TB_TOTAL
    )
    # without dates: from the first entry to the last = the same month
    assert [r.as_dict() for r in reports.trial_balance(company=company)] == [
        r.as_dict() for r in tb
    ]
    # one side only: a balance never shows on both sides
    assert all(not (r.closing_debit and r.closing_credit) for r in tb)


@pytest.mark.django_db
def test_textbook_month_tt99_statements(make_company):
    company = _closed_month(make_company, "TT99ST", "tt99")
    bs = reports.balance_sheet(company=company, as_of=MARCH[1])
    assert bs.form == "B01-DN"
    _assert_lines(bs, BS_TT99)
    assert bs.amount("280") == bs.amount("440")
    inc = reports.income_statement(company=company, date_from=MARCH[0], date_to=MARCH[1])
    assert inc.form == "B02-DN"
    _assert_lines(inc, IS_TT99)
    cf = reports.cash_flow(company=company, date_from=MARCH[0], date_to=MARCH[1])
    assert cf.form == "B03-DN"
    _assert_lines(cf, CF_TT99)
    assert cf.amount("70") == bs.amount("110")
    # the prior column: start of the year (nothing yet) / March 2025 (nothing)
    assert bs.lines[0].prior == 0
    assert inc.lines[0].prior == 0


@pytest.mark.django_db
def test_statements_before_the_close_already_balance(make_company):
    """Without the close, the unclosed result shows in 421 and profit is the same."""
    company = books(make_company, "OPENCO")
    textbook_month(company)
    bs = reports.balance_sheet(company=company, as_of=MARCH[1])
    assert bs.amount("280") == bs.amount("440") == D(1_169_900_000)
    assert bs.amount("421") == D(8_450_000)
    inc = reports.income_statement(company=company, date_from=MARCH[0], date_to=MARCH[1])
    assert inc.amount("60") == D(8_450_000)
    cf = reports.cash_flow(company=company, date_from=MARCH[0], date_to=MARCH[1])
    assert cf.amount("70") == bs.amount("110") == D(735_890_000)


@pytest.mark.django_db
def test_textbook_month_tt133_forms(make_company):
    company = _closed_month(make_company, "TT133CO", "tt133")
    tb = {r.code: r for r in reports.trial_balance(company=company)}
    assert tb["6422"].period_debit == D(41_550_000)
    assert tb["3385"].closing_credit == D(600_000)
    assert tb["4212"].closing_credit == D(8_450_000)
    bs = reports.balance_sheet(company=company, as_of=MARCH[1])
    assert bs.form == "B01a-DNN"
    _assert_lines(bs, BS_TT133)
    inc = reports.income_statement(company=company, date_from=MARCH[0], date_to=MARCH[1])
    assert inc.form == "B02-DNN"
    assert "25" not in {ln.code for ln in inc.lines}
    _assert_lines(inc, IS_TT133)
    cf = reports.cash_flow(company=company, date_from=MARCH[0], date_to=MARCH[1])
    _assert_lines(cf, CF_TT133)
    assert cf.amount("70") == bs.amount("110")

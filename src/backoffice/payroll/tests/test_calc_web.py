"""The public calculator page (no login, vi/en) and the calculator API."""

from __future__ import annotations

import pytest
from django.test import Client

from backoffice.core.enums import Role

pytestmark = pytest.mark.django_db
URL = "/payroll/calculator/"


def _text(response) -> str:
    return response.content.decode()


def test_page_without_login_in_vietnamese_by_default():
    response = Client().get(URL, secure=True)
    assert response.status_code == 200
    body = _text(response)
    assert '<html lang="vi">' in body
    assert 'name="amount"' in body
    assert "English" in body


def test_every_step_shown_with_vietnamese_amounts():
    response = Client().get(URL, {"amount": "30.000.000", "period": "2026-01",
                                  "dependents": "1", "union_member": "1"}, secure=True)  # fmt: skip
    body = _text(response)
    assert response.status_code == 200
    # 30M, 1 dependant, Jan 2026: taxable 30M - 3.15M - 15.5M - 6.2M = 5.15M, PIT 257,500,
    # union dues 0.5 % = 150,000, net 30M - 3.15M - 150,000 - 257,500 = 26,442,500
    for amount in ("30.000.000 ₫", "2.400.000 ₫", "450.000 ₫", "300.000 ₫", "3.150.000 ₫",
                   "15.500.000 ₫", "6.200.000 ₫", "5.150.000 ₫", "257.500 ₫", "150.000 ₫",
                   "26.442.500 ₫", "5.100.000 ₫", "600.000 ₫", "37.050.000 ₫"):  # fmt: skip
        assert amount in body, amount
    assert body.count("<tr><td>1: ") == 1
    assert "<tr><td>5: " in body


def test_htmx_request_gets_the_result_panel_only():
    response = Client().get(URL, {"amount": "26215000", "direction": "net",
                                  "period": "2026-01"}, secure=True,
                            headers={"HX-Request": "true"})  # fmt: skip
    body = _text(response)
    assert "<html" not in body
    assert 'id="calc-gross">30.000.000 ₫' in body


def test_bad_input_shows_a_translated_error():
    vi = _text(Client().get(URL, {"amount": "abc"}, secure=True))
    assert 'id="calc-error"' in vi
    assert '<html lang="vi">' in vi
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": URL}, secure=True)
    en = _text(client.get(URL, {"amount": "abc"}, secure=True))
    assert '<html lang="en">' in en
    assert "Gross salary: enter a whole number of đồng" in en
    en = _text(client.get(URL, {"amount": "1000", "region": "9"}, secure=True))
    assert "Region: enter a whole number from 1 to 4." in en
    assert 'class="field bad"><label for="id_region"' in en


def test_api_calculator_needs_authentication(make_user, company_a, api_token):
    anon = Client().post("/api/v1/payroll/calculator/gross-to-net", {"gross": 30000000},
                         content_type="application/json", secure=True)  # fmt: skip
    assert anon.status_code == 401
    user = make_user(company_a, roles=[Role.EMPLOYEE])
    bearer = {"Authorization": f"Bearer {api_token(user, company_a)}"}
    ok = Client().post("/api/v1/payroll/calculator/gross-to-net",
                       {"gross": "30.000.000", "period": "2025-12"},
                       content_type="application/json", secure=True, headers=bearer)  # fmt: skip
    assert ok.status_code == 200, ok.content
    d = ok.json()
    assert (d["net"], d["pit"], d["employer"]["total_cost"]) == ("25222500", "1627500", "37050000")
    back = Client().post("/api/v1/payroll/calculator/net-to-gross",
                         {"net": 22341250, "dependents": 1, "period": "2026-03"},
                         content_type="application/json", secure=True, headers=bearer)  # fmt: skip
    assert back.json()["gross"] == "25000000"
    bad = Client().post("/api/v1/payroll/calculator/gross-to-net", {"gross": "x"},
                        content_type="application/json", secure=True, headers=bearer)  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["code"] == "bad_amount"
    extra = Client().post("/api/v1/payroll/calculator/gross-to-net", {"gross": 1, "x": 1},
                          content_type="application/json", secure=True, headers=bearer)  # fmt: skip
    assert extra.status_code == 422

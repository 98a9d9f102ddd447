"""The desk page of statutory rules: listing, adding rows and scales, the
company's choices, and who may do what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client

from backoffice.core.enums import Role
from backoffice.payroll.rules import rules_for

pytestmark = pytest.mark.django_db
URL = "/desk/payroll/rules/"


@pytest.fixture
def desk(desk_login, make_user, company_a):
    def login(role):
        return desk_login(Client(), make_user(company_a, roles=[role]), company_a)

    return login


def test_listing_shows_basis_status_source_and_in_force(desk):
    response = desk(Role.ACCOUNTANT).get(URL, secure=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Decree 161/2026/NĐ-CP" in body
    assert "VGCL Decision 61/QĐ-TLĐ" in body
    assert "union_dues_rate" in body
    assert "tax_2026_from" in body
    assert "⚠" in body  # uncertain rows highlighted
    assert "Thêm dòng tham số" not in body  # "Add a parameter row": an accountant only reads
    assert 'name="action" value="override"' not in body
    assert 'name="action" value="value"' not in body  # the add-a-row form, in any language
    assert 'name="action" value="scale"' not in body


def test_payroll_officer_adds_a_row_and_a_scale(desk):
    client = desk(Role.PAYROLL_OFFICER)
    response = client.post(URL, {"action": "value", "key": "regional_minimum_1",
                                 "value": "5700000", "effective_from": "2027-01-01",
                                 "basis": "Decree 999/2026/NĐ-CP", "status": "uncertain"},
                           secure=True)  # fmt: skip
    assert response.status_code == 302
    assert rules_for(dt.date(2027, 1, 1)).ui_cap(1) == 114_000_000
    body = client.get(URL, secure=True).content.decode()
    assert "Decree 999/2026/NĐ-CP" in body
    assert 'name="action" value="value"' in body  # the form the accountant must not get
    assert "thêm trên hệ thống" in body  # "added in the desk"
    client.post(URL, {"action": "scale", "effective_from": "2028-01-01", "basis": "Law Y",
                      "upper": ["10000000", "", ""], "rate": ["0.05", "0.1", ""]},
                secure=True)  # fmt: skip
    assert [b.rate for b in rules_for(dt.date(2028, 1, 1)).pit_brackets] == [D("0.05"), D("0.1")]
    bad = client.post(URL, {"action": "value", "key": "nope", "value": "1",
                            "effective_from": "2027-01-01", "basis": "x"}, secure=True,
                      follow=True)  # fmt: skip
    assert "Tham số không xác định" in bad.content.decode()  # "Unknown parameter"


def test_company_choice_from_the_desk(desk, company_a):
    client = desk(Role.PAYROLL_OFFICER)
    client.post(URL, {"action": "override", "key": "tax_2026_from", "value": "2026-07-01"},
                secure=True)  # fmt: skip
    company_a.refresh_from_db()
    assert company_a.settings["payroll_rules"]["tax_2026_from"] == "2026-07-01"
    assert len(rules_for(dt.date(2026, 2, 1), company_a).pit_brackets) == 7


def test_others_cannot_change_rules(desk, company_a):
    client = desk(Role.HR_MANAGER)
    client.post(URL, {"action": "value", "key": "base_salary", "value": "1",
                      "effective_from": "2027-01-01", "basis": "x"}, secure=True)  # fmt: skip
    client.post(URL, {"action": "override", "key": "union_dues_rate", "value": "0.01"},
                secure=True)  # fmt: skip
    company_a.refresh_from_db()
    assert rules_for(dt.date(2027, 1, 1)).base_salary == 2_530_000
    assert not (company_a.settings or {}).get("payroll_rules")
    assert Client().get(URL, secure=True).status_code == 302  # to the login page

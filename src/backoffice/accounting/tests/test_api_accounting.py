"""The accounting API: entries (draft -> post -> reverse, delete), idempotency,
the refusals (unbalanced, another company, a role without the permission),
accounts, rates and the reports as JSON."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from backoffice.accounting.models import Account, Entry, EntryState, Line
from backoffice.core.enums import Role

pytestmark = pytest.mark.django_db

API = "/api/v1/accounting"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post_json(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    if code:
        assert body["code"] == code, body
    assert body["message"]
    return body


@pytest.fixture
def books(company_a):
    from backoffice.accounting import services

    services.books_create(actor=None, company=company_a)
    return company_a


@pytest.fixture
def other_books(company_b):
    from backoffice.accounting import services

    services.books_create(actor=None, company=company_b)
    return company_b


@pytest.fixture
def chief_token(books, make_user, api_token):
    user = make_user(books, roles=[Role.CHIEF_ACCOUNTANT], email="ktt.a@example.vn")
    return bearer(api_token(user, books))


def payment(**overrides) -> dict:
    body = {
        "date": timezone.localdate().isoformat(),
        "description": "Chi tiền mua văn phòng phẩm",
        "journal": "CASH",
        "voucher_type": "PC",
        "partner": "Nguyễn Văn An",
        "lines": [
            {"account": "642", "debit": "1234567"},
            {"account": "1111", "credit": "1234567"},
        ],
    }
    body.update(overrides)
    return body


def test_draft_post_reverse(client, chief_token):
    # Given a draft created through the API
    response = post_json(client, f"{API}/entries", payment(), **chief_token)
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["state"] == "draft"
    assert draft["number"] == ""
    assert [(ln["account"], ln["debit"], ln["credit"]) for ln in draft["lines"]] == [
        ("642", "1234567.00", "0.00"),
        ("1111", "0.00", "1234567.00"),
    ]
    assert (
        draft["amount_in_words"]
        == "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng chẵn"
    )

    # when it is posted, it gets its number
    response = client.post(f"{API}/entries/{draft['id']}/post", **chief_token)
    assert response.status_code == 200, response.content
    posted = response.json()
    assert posted["state"] == "posted"
    assert posted["number"]

    # and a reversal is a new posted entry linked to it
    response = post_json(
        client, f"{API}/entries/{draft['id']}/reverse", {"description": "Đảo bút toán"},
        **chief_token,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    reversal = response.json()
    assert reversal["reversal_of"] == draft["id"]
    assert reversal["state"] == "posted"
    assert [(ln["account"], ln["debit"]) for ln in reversal["lines"]] == [
        ("642", "0.00"),
        ("1111", "1234567.00"),
    ]
    detail = client.get(f"{API}/entries/{draft['id']}", **chief_token).json()
    assert detail["reversed_by"] == reversal["id"]

    # a second reversal is a conflict
    response = post_json(client, f"{API}/entries/{draft['id']}/reverse", {}, **chief_token)
    assert_error(response, 409, "already_reversed")


def test_list_filters_and_paginates(client, chief_token):
    for i in range(3):
        post_json(client, f"{API}/entries", payment(description=f"Phiếu {i}"), **chief_token)
    body = client.get(f"{API}/entries?state=draft&page_size=2", **chief_token).json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    assert client.get(f"{API}/entries?state=posted", **chief_token).json()["count"] == 0


def test_unbalanced_entry_is_refused_and_nothing_is_stored(client, chief_token):
    body = payment(
        post=True, lines=[{"account": "642", "debit": "100"}, {"account": "1111", "credit": "90"}]
    )
    response = post_json(client, f"{API}/entries", body, **chief_token)
    assert_error(response, 422)
    assert not Entry.objects.exists()
    assert not Line.objects.exists()


def test_unknown_account_and_float_amounts_are_refused(client, chief_token):
    response = post_json(
        client,
        f"{API}/entries",
        payment(lines=[{"account": "0000", "debit": "1"}, {"account": "1111", "credit": "1"}]),
        **chief_token,
    )
    assert 400 <= response.status_code < 500
    response = post_json(
        client,
        f"{API}/entries",
        payment(lines=[{"account": "642", "debit": 0.1}, {"account": "1111", "credit": 0.1}]),
        **chief_token,
    )
    assert_error(response, 422, "validation_error")
    assert not Entry.objects.exists()


def test_idempotency_key_header_and_field(client, chief_token):
    first = post_json(
        client, f"{API}/entries", payment(), HTTP_IDEMPOTENCY_KEY="abc-1", **chief_token
    )
    again = post_json(
        client, f"{API}/entries", payment(), HTTP_IDEMPOTENCY_KEY="abc-1", **chief_token
    )
    assert first.status_code == 201
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    by_field = post_json(client, f"{API}/entries", payment(idempotency_key="abc-1"), **chief_token)
    assert by_field.status_code == 200
    assert by_field.json()["id"] == first.json()["id"]
    assert Entry.objects.count() == 1


def test_a_client_key_cannot_take_over_or_read_the_products_own_keys(client, chief_token, books):
    from backoffice.accounting import services

    payroll = services.entry_create(
        actor="test", company=books, date=timezone.localdate(), description="Lương tháng 3",
        lines=[services.LineInput("642", debit=9), services.LineInput("334", credit=9)],
        idempotency_key="payroll:run-1:accrual",
    )  # fmt: skip
    taken = post_json(
        client, f"{API}/entries", payment(idempotency_key="payroll:run-1:accrual"), **chief_token
    )
    assert taken.status_code == 201  # a new entry, not the payroll one
    assert taken.json()["id"] != str(payroll.public_id)
    assert "Lương" not in taken.content.decode()
    claim_key = "expense-claim:00000000-0000-0000-0000-000000000001"
    post_json(client, f"{API}/entries", payment(idempotency_key=claim_key), **chief_token)
    posted = services.entry_create(
        actor="workflow:expense", company=books, date=timezone.localdate(), description="Claim",
        lines=[services.LineInput("642", debit=7), services.LineInput("3388", credit=7)],
        idempotency_key=claim_key, post=True,
    )  # fmt: skip
    assert posted.description == "Claim"  # the product's own entry, not the client's
    assert posted.total == 7


def test_another_company_entry_is_not_found_and_unchanged(
    client, chief_token, other_books, make_user, api_token
):
    from backoffice.accounting import services

    theirs = services.entry_create(
        actor=None,
        company=other_books,
        date=timezone.localdate(),
        description="SECRET-OF-B",
        lines=[
            services.LineInput(account="642", debit=Decimal(5)),
            services.LineInput(account="1111", credit=Decimal(5)),
        ],
    )
    url = f"{API}/entries/{theirs.public_id}"
    assert_error(client.get(url, **chief_token), 404, "not_found")
    assert_error(client.post(f"{url}/post", **chief_token), 404, "not_found")
    assert_error(post_json(client, f"{url}/reverse", {}, **chief_token), 404, "not_found")
    assert_error(client.delete(url, **chief_token), 404, "not_found")
    assert "SECRET-OF-B" not in client.get(f"{API}/entries", **chief_token).content.decode()
    theirs.refresh_from_db()
    assert theirs.state == EntryState.DRAFT


def test_role_without_post_permission_gets_403(client, books, make_user, api_token, chief_token):
    draft = post_json(client, f"{API}/entries", payment(), **chief_token).json()
    auditor = make_user(books, roles=[Role.COMPLIANCE_OFFICER], email="tt@example.vn")
    token = bearer(api_token(auditor, books))
    assert client.get(f"{API}/entries/{draft['id']}", **token).status_code == 200
    assert_error(client.post(f"{API}/entries/{draft['id']}/post", **token), 403)
    assert_error(post_json(client, f"{API}/entries", payment(), **token), 403)
    assert Entry.objects.get().state == EntryState.DRAFT
    hr = make_user(books, roles=[Role.HR_OFFICER], email="hr@example.vn")
    assert_error(client.get(f"{API}/entries", **bearer(api_token(hr, books))), 403)


def test_delete_draft_but_not_a_posted_entry(client, chief_token):
    draft = post_json(client, f"{API}/entries", payment(), **chief_token).json()
    assert client.delete(f"{API}/entries/{draft['id']}", **chief_token).status_code == 204
    posted = post_json(client, f"{API}/entries", payment(post=True), **chief_token).json()
    response = client.delete(f"{API}/entries/{posted['id']}", **chief_token)
    assert 400 <= response.status_code < 500
    assert Entry.objects.filter(state=EntryState.POSTED).count() == 1


def test_sub_account_and_accounts_list(client, chief_token, books):
    response = post_json(
        client,
        f"{API}/accounts",
        {"code": "1121.VCB", "name": "Tiền gửi Vietcombank", "type": "asset", "parent": "1121"},
        **chief_token,
    )
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == "1121"
    assert Account.objects.get(company=books, code="1121.VCB").parent.code == "1121"
    found = client.get(f"{API}/accounts?search=1121", **chief_token).json()
    assert "1121.VCB" in [a["code"] for a in found["items"]]
    detail = client.get(f"{API}/accounts/{response.json()['id']}", **chief_token)
    assert detail.json()["code"] == "1121.VCB"
    assert client.get(f"{API}/journals", **chief_token).json()["count"] >= 6
    assert client.get(f"{API}/periods", **chief_token).json()["count"] >= 12


def test_adding_an_account_without_the_right_does_not_tell_which_parents_exist(
    client, books, make_user, api_token
):
    hr = make_user(books, roles=[Role.HR_MANAGER], email="hrm@example.vn")
    token = bearer(api_token(hr, books))
    for parent in ("1121", "NO-SUCH"):  # one exists, one does not: the same answer
        body = {"code": "1121.X", "name": "X", "type": "asset", "parent": parent}
        assert_error(post_json(client, f"{API}/accounts", body, **token), 403)
    assert not Account.objects.filter(company=books, code="1121.X").exists()


def test_exchange_rates(client, chief_token):
    response = post_json(
        client,
        f"{API}/exchange-rates",
        {"currency": "USD", "date": timezone.localdate().isoformat(), "rate": "25350.5"},
        **chief_token,
    )
    assert response.status_code == 201, response.content
    listed = client.get(f"{API}/exchange-rates?currency=USD", **chief_token).json()
    assert listed["items"][0]["rate"] == "25350.500000"


def test_reports_as_json(client, chief_token):
    post_json(client, f"{API}/entries", payment(post=True), **chief_token)
    tb = client.get(f"{API}/reports/trial-balance", **chief_token)
    assert tb.status_code == 200, tb.content
    rows = {r["code"]: r for r in tb.json()["rows"]}
    assert Decimal(rows["642"]["period_debit"]) == Decimal(1234567)
    assert tb.json()["total"]["period_debit"] == tb.json()["total"]["period_credit"]
    ledger = client.get(f"{API}/reports/ledger?account=1111", **chief_token).json()
    assert ledger["count"] == 1
    assert ledger["rows"][0]["contra"] == ["642"]
    day = timezone.localdate().isoformat()
    for name in ("income-statement", "cash-flow"):
        response = client.get(f"{API}/reports/{name}?date_from={day}&date_to={day}", **chief_token)
        assert response.status_code == 200, response.content
        amounts = {abs(Decimal(ln["amount"])) for ln in response.json()["lines"]}
        assert Decimal(1234567) in amounts, name
    flow = client.get(f"{API}/reports/cash-flow?date_from={day}&date_to={day}", **chief_token)
    assert {ln["code"]: Decimal(ln["amount"]) for ln in flow.json()["lines"]}["70"] == -1234567
    sheet = client.get(f"{API}/reports/balance-sheet?as_of={day}", **chief_token)
    assert sheet.status_code == 200, sheet.content
    lines = {ln["code"]: Decimal(ln["amount"]) for ln in sheet.json()["lines"]}
    assert lines["110"] == -1234567  # cash paid out
    assert lines["280"] == lines["440"]  # total assets = total sources
    assert_error(client.get(f"{API}/reports/ledger?account=NOPE", **chief_token), 404)


@pytest.mark.parametrize(
    "query",
    [
        "income-statement?date_from=0001-01-01&date_to=2000-01-01",
        "cash-flow?date_from=0001-01-01&date_to=0001-12-31",
        "balance-sheet?as_of=0001-01-01",
        "income-statement?date_from=2026-01-01&date_to=9999-12-31",
    ],
)
def test_reports_refuse_dates_at_the_ends_of_the_calendar(client, chief_token, query):
    # The statements compare with the year before: year 1 has none (was a 500).
    body = assert_error(client.get(f"{API}/reports/{query}", **chief_token), 422)
    assert body["code"] == "date_out_of_range"
    assert "01/01/1900" in body["message"]


def test_reports_need_their_permission(client, books, make_user, api_token):
    hr = make_user(books, roles=[Role.HR_OFFICER], email="hr2@example.vn")
    assert_error(client.get(f"{API}/reports/trial-balance", **bearer(api_token(hr, books))), 403)


def test_no_credentials_is_401():
    assert_error(Client().get(f"{API}/entries"), 401)


@pytest.mark.parametrize("value", ["2.98e-158", "1700000000", "2026-1-5", "31/12/2026"])
def test_dates_must_be_iso(client, chief_token, value):
    response = client.get(f"{API}/reports/trial-balance?date_from={value}", **chief_token)
    assert_error(response, 422, "validation_error")

"""Period close: the checklist blocks until each item is clean or acknowledged;
closing entries to 911 and 4212; a re-run after reopening reverses the earlier
closing entries and gives the same books; refusals change nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backoffice.accounting import reports, services
from backoffice.accounting.closing import close_checklist, closing_entries, period_close
from backoffice.accounting.models import Account, Entry, EntrySource, Period, PeriodState
from backoffice.accounting.tests.reports_helpers import MARCH, books, march, post, textbook_month
from backoffice.core.enums import Role
from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent

D = Decimal


def _state(company):
    tb = reports.trial_balance(company=company, date_from=MARCH[0], date_to=MARCH[1])
    return [(r.code, r.closing_debit, r.closing_credit) for r in tb]


@pytest.mark.django_db
def test_checklist_blocks_until_acknowledged(make_company):
    company = books(make_company, "CHK")
    textbook_month(company)
    period = march(company)
    items = {i.key: i for i in close_checklist(period=period)}
    assert set(items) == {"drafts", "suspense", "negative_cash", "bank_unconfirmed"}
    assert items["drafts"].clean
    assert items["suspense"].clean
    assert items["negative_cash"].clean
    assert not items["bank_unconfirmed"].ok  # the bank moved in March
    with pytest.raises(ValidationFailed) as exc:
        period_close(actor="test", period=period)
    assert exc.value.code == "close_checklist"
    assert exc.value.extra["items"] == ["bank_unconfirmed"]
    period.refresh_from_db()
    assert period.state == PeriodState.OPEN
    assert period.close_acknowledgements == {}
    assert not Entry.objects.filter(company=company, source=EntrySource.CLOSING).exists()

    result = period_close(
        actor="test",
        period=period,
        acknowledge=["bank_unconfirmed"],
        note="Sao kê VCB đã đối chiếu",
    )
    period.refresh_from_db()
    assert period.state == PeriodState.CLOSED
    ack = period.close_acknowledgements["bank_unconfirmed"]
    assert ack["by"] == "test"
    assert ack["note"] == "Sao kê VCB đã đối chiếu"
    assert ack["at"]
    assert AuditEvent.objects.filter(
        event_type="PERIOD_CHECK_ACKNOWLEDGED", company=company
    ).exists()
    assert AuditEvent.objects.filter(event_type="PERIOD_CLOSED", company=company).exists()
    assert result.profit == D(8_450_000)
    assert len(result.entries) == 2


@pytest.mark.django_db
def test_each_checklist_item_detects_its_problem(make_company):
    company = books(make_company, "CHK2")
    post(company, date(2026, 3, 2), "Chi quá quỹ", ("642", 500_000, 0), ("1111", 0, 500_000))
    susp = Account.objects.get(company=company, tag="suspense")
    post(company, date(2026, 3, 3), "Chờ xử lý", ("642", 1_000, 0), (susp.code, 0, 1_000))
    services.entry_create(
        actor="test",
        company=company,
        date=date(2026, 3, 4),
        description="Nháp",
        lines=[
            services.LineInput(account="642", debit=D(1)),
            services.LineInput(account="1111", credit=D(1)),
        ],
    )
    items = {i.key: i for i in close_checklist(period=march(company))}
    assert not items["drafts"].clean
    assert "1" in items["drafts"].detail
    assert not items["suspense"].clean
    assert susp.code in items["suspense"].detail
    assert not items["negative_cash"].clean
    assert "1111" in items["negative_cash"].detail
    assert items["bank_unconfirmed"].clean  # the bank did not move
    with pytest.raises(ValidationFailed) as exc:
        period_close(actor="test", period=march(company), acknowledge=["drafts"])
    assert set(exc.value.extra["items"]) == {"suspense", "negative_cash"}
    # the refused close kept nothing, not even the acknowledgement
    assert march(company).close_acknowledgements == {}
    period_close(
        actor="test", period=march(company), acknowledge=["drafts", "suspense", "negative_cash"]
    )
    assert march(company).state == PeriodState.CLOSED


@pytest.mark.django_db
def test_closing_entries_and_rerun_after_reopening(make_company):
    company = books(make_company, "RERUN")
    textbook_month(company)
    period = march(company)
    period_close(actor="test", period=period, acknowledge=["bank_unconfirmed"])
    first = _state(company)
    live = closing_entries(period=period)
    assert len(live) == 2
    lines = {(ln.account.code, ln.debit, ln.credit) for e in live for ln in e.lines.all()}
    assert ("911", D(0), D(150_000_000)) in lines
    assert ("5111", D(150_000_000), D(0)) in lines
    assert ("911", D(8_450_000), D(0)) in lines
    assert ("4212", D(0), D(8_450_000)) in lines
    with pytest.raises(Conflict):  # closed: reopen first
        period_close(actor="test", period=period)

    services.period_set_state(actor="test", period=period, state=PeriodState.OPEN)
    result = period_close(actor="test", period=march(company))
    assert len(result.reversed) == 2
    assert len(result.entries) == 2
    assert _state(company) == first  # same balances
    assert len(closing_entries(period=period)) == 2  # no duplicates
    # the income statement ignores the closing entries and their reversals
    inc = reports.income_statement(company=company, date_from=MARCH[0], date_to=MARCH[1])
    assert inc.amount("01") == D(150_000_000)
    assert inc.amount("60") == D(8_450_000)

    # reopen, post a late sale, close again: the result follows
    services.period_set_state(actor="test", period=period, state=PeriodState.OPEN)
    post(
        company,
        date(2026, 3, 31),
        "Bán hàng bổ sung",
        ("131", 1_000_000, 0),
        ("5111", 0, 1_000_000),
    )
    result = period_close(actor="test", period=march(company))
    assert result.profit == D(9_450_000)
    rows = {code: (dr, cr) for code, dr, cr in _state(company)}
    assert rows["4212"] == (0, D(9_450_000))
    assert rows["5111"] == rows["911"] == rows["642"] == (0, 0)
    assert len(closing_entries(period=period)) == 2


@pytest.mark.django_db
def test_close_refused_without_permission_changes_nothing(make_company, make_user):
    company = books(make_company, "PERM")
    textbook_month(company)
    accountant = make_user(company, roles=[Role.ACCOUNTANT])
    accountant.active_company = company
    before = Entry.objects.filter(company=company).count()
    with pytest.raises(PermissionDenied):
        period_close(actor=accountant, period=march(company), acknowledge=["bank_unconfirmed"])
    assert Entry.objects.filter(company=company).count() == before
    assert march(company).state == PeriodState.OPEN
    assert march(company).close_acknowledgements == {}

    chief = make_user(company, roles=[Role.CHIEF_ACCOUNTANT])
    chief.active_company = company
    period_close(actor=chief, period=march(company), acknowledge=["bank_unconfirmed"])
    assert march(company).close_acknowledgements["bank_unconfirmed"]["by"] == chief.email
    assert march(company).state == PeriodState.CLOSED


@pytest.mark.django_db
def test_period_close_screen(make_company, make_user, desk_login):
    from django.test import Client
    from django.urls import reverse

    company = books(make_company, "SCR")
    textbook_month(company)
    period = march(company)
    url = reverse("accounting:period_close", args=[period.pk])
    chief = make_user(company, roles=[Role.CHIEF_ACCOUNTANT])
    client = desk_login(Client(), chief, company)
    html = client.get(url).content.decode()
    assert 'data-check="bank_unconfirmed"' in html
    assert 'value="bank_unconfirmed"' in html
    # without the acknowledgement: refused, still open
    r = client.post(url, {"note": ""}, follow=True)
    assert march(company).state == PeriodState.OPEN
    assert "bank_unconfirmed" not in march(company).close_acknowledgements
    r = client.post(url, {"acknowledge": ["bank_unconfirmed"], "note": "Đã đối chiếu sao kê"})
    assert r.status_code == 302
    assert march(company).state == PeriodState.CLOSED
    html = client.get(url).content.decode()
    assert "Đã đối chiếu sao kê" in html
    assert len(closing_entries(period=period)) == 2

    # an accountant may not close; another company's period is not found
    accountant = make_user(company, roles=[Role.ACCOUNTANT])
    client = desk_login(Client(), accountant, company)
    assert client.get(url).status_code == 403
    assert client.post(url, {"acknowledge": ["bank_unconfirmed"]}).status_code == 403
    other = books(make_company, "SCR2")
    other_chief = make_user(other, roles=[Role.CHIEF_ACCOUNTANT])
    client = desk_login(Client(), other_chief, other)
    assert client.get(url).status_code == 404
    services.period_set_state(actor="test", period=period, state=PeriodState.OPEN)
    assert client.post(url, {"acknowledge": ["bank_unconfirmed"]}).status_code == 404
    assert march(company).state == PeriodState.OPEN


@pytest.mark.django_db
def test_closing_a_later_month_first_sweeps_only_its_own_activity(make_company):
    """Closing March before February must not sweep February's revenue and
    expenses into March's close and then again into February's."""
    company = books(make_company, "ORDER")
    post(company, date(2026, 2, 10), "Bán hàng T2", ("131", 5_000_000, 0), ("5111", 0, 5_000_000))
    post(company, date(2026, 2, 20), "Chi phí T2", ("642", 1_000_000, 0), ("331", 0, 1_000_000))
    post(company, date(2026, 3, 10), "Bán hàng T3", ("131", 2_000_000, 0), ("5111", 0, 2_000_000))
    feb = Period.objects.get(company=company, start=date(2026, 2, 1))
    march_result = period_close(actor="test", period=march(company))
    assert march_result.profit == D(2_000_000)  # March's own result
    feb_result = period_close(actor="test", period=feb)
    assert feb_result.profit == D(4_000_000)
    tb = reports.trial_balance(company=company, date_from=date(2026, 1, 1), date_to=MARCH[1])
    rows = {r.code: (r.closing_debit, r.closing_credit) for r in tb}
    assert rows["4212"] == (0, D(6_000_000))
    assert rows["5111"] == rows["642"] == rows["911"] == (0, 0)

"""Books from a chart template: accounts, journals, fiscal year, periods; sub-accounts."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from backoffice.accounting import services
from backoffice.accounting.models import (
    Account,
    FiscalYear,
    Journal,
    Period,
    PeriodState,
)
from backoffice.accounting.tests.ledger_helpers import DAY, books, period, person, post, state
from backoffice.core import services as core_services
from backoffice.core.enums import Role
from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def codes(company, **filters):
    return set(Account.objects.filter(company=company, **filters).values_list("code", flat=True))


def test_tt99_chart_follows_circular_99(make_company):
    company = books(make_company, "C99")
    level1 = {c for c in codes(company) if len(c) == 3}
    assert len(level1) == 71  # VN-RULES §6.2: 71 level-1 accounts
    assert not level1 & {"161", "417", "441", "461", "466", "611", "631"}
    assert {"215", "332", "641", "642"} <= level1
    names = dict(Account.objects.filter(company=company).values_list("code", "name"))
    assert names["112"] == "Tiền gửi không kỳ hạn"
    assert names["155"] == "Sản phẩm"
    assert names["242"] == "Chi phí chờ phân bổ"
    assert names["3386"] == "Bảo hiểm thất nghiệp"
    assert {"8211", "82111", "82112", "33311", "33312", "4211", "4212"} <= codes(company)
    assert "3385" not in codes(company)
    assert services.unemployment_insurance_account(company) == "3386"


def test_tt133_chart_for_smes(make_company):
    company = books(make_company, "C133", chart="tt133")
    all_codes = codes(company)
    assert "641" not in all_codes
    assert "521" not in all_codes
    assert {"6421", "6422", "611", "631", "3385"} <= all_codes
    names = dict(Account.objects.filter(company=company).values_list("code", "name"))
    assert names["642"] == "Chi phí quản lý kinh doanh"
    assert names["3385"] == "Bảo hiểm thất nghiệp"
    assert names["3386"] == "Nhận ký quỹ, ký cược"
    assert names["112"] == "Tiền gửi Ngân hàng"
    assert services.unemployment_insurance_account(company) == "3385"
    assert not {"82111", "82112"} & all_codes


@pytest.mark.parametrize("chart", ["tt99", "tt133"])
def test_parents_are_not_postable_and_tags_mark_cash_and_bank(make_company, chart):
    company = books(make_company, "CP", chart=chart)
    for acc in Account.objects.filter(company=company).select_related("parent"):
        has_children = Account.objects.filter(parent=acc).exists()
        assert acc.is_postable is not has_children, acc.code
        if acc.parent is not None:
            assert acc.code.startswith(acc.parent.code)
            assert acc.type == acc.parent.type
    assert codes(company, tag="cash") == {"111", "1111", "1112"}
    assert codes(company, tag="bank") == {"112", "1121", "1122"}


def test_company_create_builds_the_books_from_its_chart():
    today = timezone.localdate()
    company = core_services.company_create(
        actor="cli", code="HOOK", name="Hook", chart="tt133", fiscal_year_start="04-01"
    )
    assert Account.objects.filter(company=company, code="6421").exists()
    assert set(Journal.objects.filter(company=company).values_list("code", flat=True)) == {
        "GEN", "CASH", "BANK", "SALE", "PUR", "PAY",
    }  # fmt: skip
    assert Journal.objects.get(company=company, code="CASH").default_voucher_type == "PT"
    assert Journal.objects.get(company=company, code="BANK").default_voucher_type == "BC"
    fy = FiscalYear.objects.get(company=company)
    assert fy.start <= today <= fy.end
    assert (fy.start.month, fy.start.day) == (4, 1)
    periods = list(Period.objects.filter(fiscal_year=fy).order_by("start"))
    assert len(periods) == 12
    assert periods[0].start == fy.start
    assert periods[-1].end == fy.end
    assert all(
        b.start == a.end + timezone.timedelta(days=1)
        for a, b in zip(periods, periods[1:], strict=False)
    )
    assert AuditEvent.objects.filter(company=company, event_type="BOOKS_CREATED").count() == 1


def test_empty_chart_and_idempotent_books(make_company):
    company = core_services.company_create(actor="cli", code="EMPTY", name="E", chart="none")
    assert not Account.objects.filter(company=company).exists()
    assert Journal.objects.filter(company=company).count() == 6
    again = services.books_create(actor="cli", company=company, chart="tt99")
    assert again["accounts"] > 100
    assert again["journals"] == 0
    assert again["fiscal_years"] == 0
    n = Account.objects.filter(company=company).count()
    assert services.books_create(actor="cli", company=company, chart="tt99") == {
        "accounts": 0, "journals": 0, "fiscal_years": 0,
    }  # fmt: skip
    assert Account.objects.filter(company=company).count() == n


def test_sub_account_makes_parent_not_postable(make_company, make_user):
    company = books(make_company, "SUB")
    chief = person(make_user, company, Role.CHIEF_ACCOUNTANT)
    vcb = services.account_create(
        actor=chief, company=company, code="1121.VCB", name="Vietcombank", parent="1121"
    )
    assert vcb.type == "asset"
    assert vcb.tag == "bank"
    assert not Account.objects.get(company=company, code="1121").is_postable
    with pytest.raises(ValidationFailed) as err:
        post(company, ("1121", 100, 0), ("4111", 0, 100))
    assert err.value.code == "account_not_postable"
    post(company, ("1121.VCB", 100, 0), ("4111", 0, 100))
    with pytest.raises(ValidationFailed) as err:  # 4111 has entries now
        services.account_create(
            actor=chief, company=company, code="4111.A", name="A", parent="4111"
        )
    assert err.value.code == "parent_has_entries"
    with pytest.raises(Conflict):
        services.account_create(
            actor=chief, company=company, code="1121.VCB", name="x", parent="1121"
        )


def test_plain_accountant_cannot_change_the_chart(make_company, make_user):
    company = books(make_company, "RIGHTS")
    accountant = person(make_user, company, Role.ACCOUNTANT)
    before = state(), Account.objects.count()
    with pytest.raises(PermissionDenied):
        services.account_create(actor=accountant, company=company, code="9", name="x", type="asset")
    with pytest.raises(PermissionDenied):
        services.accounts_import(
            actor=accountant,
            company=company,
            rows=[{"code": "9", "name": "x", "type": "asset", "parent": ""}],
        )
    with pytest.raises(PermissionDenied):
        services.fiscal_year_create(actor=accountant, company=company, start=date(2027, 1, 1))
    assert (state(), Account.objects.count()) == before


def test_someone_from_another_company_cannot_touch_the_books(make_company, make_user):
    a = books(make_company, "A1")
    b = books(make_company, "B1")
    chief_b = person(make_user, b, Role.CHIEF_ACCOUNTANT)
    with pytest.raises(PermissionDenied):
        services.account_create(actor=chief_b, company=a, code="1121.X", name="x", parent="1121")
    with pytest.raises(PermissionDenied):
        services.period_set_state(actor=chief_b, period=period(a), state=PeriodState.CLOSED)
    assert period(a).state == PeriodState.OPEN


def test_fiscal_years_do_not_overlap(make_company):
    company = books(make_company, "FY")
    with pytest.raises(Conflict):
        services.fiscal_year_create(actor="test", company=company, start=date(2026, 7, 1))
    fy = services.fiscal_year_create(actor="test", company=company, start=date(2027, 1, 1))
    assert fy.name == "2027"
    assert fy.periods.count() == 12


def test_period_for_and_missing_period(make_company):
    company = books(make_company, "PF")
    assert services.period_for(company, DAY).start == date(2026, 3, 1)
    with pytest.raises(ValidationFailed) as err:
        services.period_for(company, date(2030, 1, 1))
    assert err.value.code == "no_period"
    assert "01/01/2030" in err.value.message


def test_period_state_transitions_and_rights(make_company, make_user):
    company = books(make_company, "PS")
    chief = person(make_user, company, Role.CHIEF_ACCOUNTANT)
    accountant = person(make_user, company, Role.ACCOUNTANT)
    p = period(company)
    with pytest.raises(PermissionDenied):
        services.period_set_state(actor=accountant, period=p, state=PeriodState.CLOSED)
    p = services.period_set_state(actor=chief, period=p, state=PeriodState.CLOSED)
    p = services.period_set_state(actor=chief, period=p, state=PeriodState.LOCKED)
    with pytest.raises(ValidationFailed):  # locked -> open skips a step
        services.period_set_state(actor=chief, period=p, state=PeriodState.OPEN)
    p = services.period_set_state(actor=chief, period=p, state=PeriodState.CLOSED)
    assert p.state == PeriodState.CLOSED
    events = AuditEvent.objects.filter(company=company, event_type="PERIOD_STATE_CHANGED")
    assert [(e.before["state"], e.after["state"]) for e in events.order_by("seq")] == [
        ("open", "closed"), ("closed", "locked"), ("locked", "closed"),
    ]  # fmt: skip


def test_accounts_import_adds_and_updates_all_or_nothing(make_company):
    company = books(make_company, "IMPA", chart="none")
    rows = [
        {"code": "111", "name": "Tiền mặt", "type": "asset", "parent": ""},
        {"code": "1111", "name": "Tiền VN", "type": "asset", "parent": "111"},
        {"code": "411", "name": "Vốn", "type": "equity", "parent": ""},
    ]
    assert services.accounts_import(actor="cli", company=company, rows=rows) == 3
    assert not Account.objects.get(company=company, code="111").is_postable
    assert Account.objects.get(company=company, code="1111").parent.code == "111"
    bad = "code,name,type,parent\n112,Ngân hàng,asset,\n1121,,asset,112\n5,X,weird,\n6,Y,asset,999\n112,Dup,asset,\n"
    before = list(Account.objects.filter(company=company).values_list("code", "name"))
    with pytest.raises(services.ImportFailed) as err:
        services.accounts_import(actor="cli", company=company, rows=bad)
    assert [e.row for e in err.value.errors] == [3, 4, 5, 6]
    assert list(Account.objects.filter(company=company).values_list("code", "name")) == before
    renamed = "code,name,type,parent\n1111,Tiền Việt Nam,asset,111\n"
    assert services.accounts_import(actor="cli", company=company, rows=renamed) == 1
    assert Account.objects.get(company=company, code="1111").name == "Tiền Việt Nam"

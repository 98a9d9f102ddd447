"""The rule tables: shipped rows, desk rows winning and taking effect at once,
company choices on uncertain rules, the desk listing and the rule services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from backoffice.core.enums import Role
from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.payroll.calculations import gross_to_net
from backoffice.payroll.rules import (
    RuleMissing,
    month_rules_date,
    rules_for,
    shipped_rules_for,
)

pytestmark = pytest.mark.django_db


def act(user, company):
    user.active_company = company
    user.__dict__.pop("_company_perm_cache", None)
    return user


@pytest.fixture
def officer(make_user, company_a):
    return act(make_user(company_a, roles=[Role.PAYROLL_OFFICER]), company_a)


@pytest.fixture
def accountant(make_user, company_a):
    return act(make_user(company_a, roles=[Role.ACCOUNTANT]), company_a)


def _events(kind):
    from backoffice.core.models import AuditEvent

    return list(AuditEvent.objects.filter(event_type=kind).order_by("seq"))


def test_shipped_values_on_their_dates():
    assert month_rules_date(2026, 7) == dt.date(2026, 7, 1)
    r = rules_for(dt.date(2026, 7, 1))
    assert (r.base_salary, r.si_cap(), r.ui_cap(1), r.ui_cap(4)) == (
        2_530_000, 50_600_000, 106_200_000, 74_000_000)  # fmt: skip
    assert (r.personal_deduction, r.dependant_deduction, r.meal_exempt_cap) == (
        15_500_000, 6_200_000, 1_200_000)  # fmt: skip
    assert (r.si_employer, r.accident_employer, r.union_dues_rate) == (
        D("0.17"), D("0.005"), D("0.005"))  # fmt: skip
    assert r.ot_fully_exempt
    assert len(r.pit_brackets) == 5
    old = rules_for(dt.date(2025, 6, 1))
    assert (old.base_salary, old.union_dues_rate, old.flat_withholding_threshold) == (
        2_340_000, D("0.01"), 2_000_000)  # fmt: skip
    assert not old.ot_fully_exempt
    assert len(old.pit_brackets) == 7
    assert "Decree 161/2026" in r.sources["base_salary"]
    assert "uncertain" in r.sources["union_dues_rate"]
    with pytest.raises(RuleMissing):
        rules_for(dt.date(2024, 1, 1))  # no regional minimum wage shipped before 2024-07-01


def test_a_desk_row_takes_effect_at_once(officer):
    from backoffice.payroll.services.rules import rule_value_add

    assert rules_for(dt.date(2027, 1, 1)).si_cap() == 50_600_000
    rule_value_add(actor=officer, key="base_salary", value="3000000",
                   effective_from=dt.date(2027, 1, 1), basis="Decree 1/2027/NĐ-CP")  # fmt: skip
    jan = rules_for(dt.date(2027, 1, 1))
    assert jan.si_cap() == 60_000_000
    assert gross_to_net(D(70_000_000), rules=jan).si == 4_800_000
    assert rules_for(dt.date(2026, 12, 1)).si_cap() == 50_600_000
    assert "Decree 1/2027" in jan.sources["base_salary"]
    (event,) = _events("PAYROLL_RULE_ADDED")
    assert event.after["key"] == "base_salary"
    assert event.after["value"] == "3000000"
    with pytest.raises(Conflict):
        rule_value_add(actor=officer, key="base_salary", value="3100000",
                       effective_from=dt.date(2027, 1, 1), basis="x")  # fmt: skip


def test_a_desk_row_wins_over_the_shipped_row_of_the_same_date(officer):
    from backoffice.payroll.selectors.rules import rule_listing
    from backoffice.payroll.services.rules import rule_value_add

    rule_value_add(actor=officer, key="meal_exempt_cap", value="1500000",
                   effective_from=dt.date(2026, 7, 1), basis="correction")  # fmt: skip
    assert rules_for(dt.date(2026, 8, 1)).meal_exempt_cap == 1_500_000
    rows = [x for x in rule_listing(dt.date(2026, 8, 1)) if x["key"] == "meal_exempt_cap"]
    assert [(x["value"], x["source"], x["in_force"]) for x in rows] == [
        (730_000, "shipped", False), (1_500_000, "desk", True)]  # fmt: skip


def test_a_desk_pit_scale(officer):
    from backoffice.payroll.selectors.rules import scale_listing
    from backoffice.payroll.services.rules import pit_scale_add

    pit_scale_add(actor=officer, effective_from=dt.date(2027, 1, 1),
                  brackets=[("20000000", "0.05"), (None, "0.2")], basis="Law X/2026")  # fmt: skip
    r = rules_for(dt.date(2027, 2, 1))
    assert [(b.upper, b.rate) for b in r.pit_brackets] == [(20_000_000, D("0.05")),
                                                           (None, D("0.2"))]  # fmt: skip
    scales = scale_listing(dt.date(2027, 2, 1))
    assert [(s["effective_from"], s["source"], s["in_force"]) for s in scales] == [
        (dt.date(2009, 1, 1), "shipped", False), (dt.date(2026, 1, 1), "shipped", False),
        (dt.date(2027, 1, 1), "desk", True)]  # fmt: skip
    assert len(_events("PAYROLL_PIT_SCALE_ADDED")) == 1
    for bad in ([("1", "0.1"), ("1", "0.2"), (None, "0.3")], [(None, "0.1"), ("5", "0.2")],
                [("10", "1.5"), (None, "0.2")], []):  # fmt: skip
        with pytest.raises(ValidationFailed):
            pit_scale_add(actor=officer, effective_from=dt.date(2028, 1, 1), brackets=bad,
                          basis="x")  # fmt: skip
    with pytest.raises(Conflict):
        pit_scale_add(actor=officer, effective_from=dt.date(2027, 1, 1),
                      brackets=[(None, "0.1")], basis="x")  # fmt: skip


def test_rule_services_check_permission_and_input(officer, accountant):
    from backoffice.payroll.services.rules import rule_override_set, rule_value_add

    day = dt.date(2027, 1, 1)
    with pytest.raises(PermissionDenied):
        rule_value_add(actor=accountant, key="base_salary", value="1", effective_from=day,
                       basis="x")  # fmt: skip
    for key, value in (("nope", "1"), ("si_employee", "8"), ("base_salary", "abc"),
                       ("base_salary", "-1"), ("ot_fully_exempt", "2")):  # fmt: skip
        with pytest.raises(ValidationFailed):
            rule_value_add(actor=officer, key=key, value=value, effective_from=day, basis="x")
    with pytest.raises(PermissionDenied):
        rule_override_set(actor=accountant, company=accountant.active_company,
                          key="union_dues_rate", value="0.01")  # fmt: skip
    assert not _events("PAYROLL_RULE_ADDED")


def test_company_choices_on_uncertain_rules(officer, company_a, company_b):
    from backoffice.payroll.selectors.rules import uncertain_settings
    from backoffice.payroll.services.rules import rule_override_set

    rule_override_set(actor=officer, company=company_a, key="union_dues_rate", value="0.01")
    rule_override_set(actor=officer, company=company_a, key="tax_2026_from", value="2026-07-01")
    company_a.refresh_from_db()
    assert company_a.settings["payroll_rules"] == {"union_dues_rate": "0.01",
                                                   "tax_2026_from": "2026-07-01"}  # fmt: skip
    march = rules_for(dt.date(2026, 3, 1), company_a)
    assert march.union_dues_rate == D("0.01")
    assert "company setting" in march.sources["union_dues_rate"]
    # Jan-Jun 2026 on the old law: 7 brackets, 11M deduction, 2M threshold, premium-only OT
    assert (len(march.pit_brackets), march.personal_deduction,
            march.flat_withholding_threshold, march.ot_fully_exempt) == (
        7, 11_000_000, 2_000_000, False)  # fmt: skip
    assert gross_to_net(D(30_000_000), rules=march).net == 25_222_500  # as E1
    july = rules_for(dt.date(2026, 7, 1), company_a)
    assert (len(july.pit_brackets), july.personal_deduction) == (5, 15_500_000)
    assert rules_for(dt.date(2024, 8, 1), company_a).union_dues_rate == D("0.01")  # confirmed row
    other = rules_for(dt.date(2026, 3, 1), company_b)
    assert (other.union_dues_rate, len(other.pit_brackets)) == (D("0.005"), 5)
    settings = {s["key"]: s for s in uncertain_settings(company_a, dt.date(2026, 3, 1))}
    assert settings["tax_2026_from"]["in_use"] == "2026-07-01"
    assert settings["tax_2026_from"]["default"] == "2026-01-01"
    assert settings["union_dues_rate"]["default"] == D("0.005")
    assert "flat_withholding_threshold" in settings
    assert len(_events("PAYROLL_RULE_OVERRIDE_SET")) == 2
    rule_override_set(actor=officer, company=company_a, key="union_dues_rate", value="")
    company_a.refresh_from_db()
    assert "union_dues_rate" not in company_a.settings["payroll_rules"]
    for key, value in (("base_salary", "1"), ("tax_2026_from", "2026-03-01"),
                       ("union_dues_rate", "2")):  # fmt: skip
        with pytest.raises(ValidationFailed):
            rule_override_set(actor=officer, company=company_a, key=key, value=value)


def test_shipped_rules_match_the_database_free_builder():
    assert rules_for(dt.date(2026, 1, 1)) == shipped_rules_for(dt.date(2026, 1, 1))


def test_a_broken_company_value_is_ignored(company_a):
    company_a.settings = {"payroll_rules": {"union_dues_rate": "abc", "tax_2026_from": "x"}}
    r = rules_for(dt.date(2026, 3, 1), company_a)
    assert r.union_dues_rate == D("0.005")
    assert len(r.pit_brackets) == 5

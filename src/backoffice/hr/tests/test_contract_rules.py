"""The pure Labour Code rules on contracts (no database)."""

import datetime as dt
from decimal import Decimal

import pytest

from backoffice.hr.calculations import contracts as calc

D = dt.date
P = calc.params_on(D(2026, 1, 1))


def prior(kind, start, end, state="ended", position_id=None):
    return calc.PriorContract(kind, start, end, state, position_id)


def test_parameters_come_from_the_rule_table():
    assert P.probation_max_days == {"manager": 180, "college": 60, "intermediate": 30}
    assert P.probation_max_working_days_other == 6
    assert P.probation_min_pay_percent == 85
    assert P.fixed_term_max_months == 36
    assert P.fixed_term_max_consecutive == 2
    assert P.expiry_alert_days == 30


def test_a_company_may_override_the_uncertain_consecutive_rule():
    class Co:
        settings = {"hr_rules": {"fixed_term_max_consecutive": 3}}

    assert calc.params_on(D(2026, 1, 1), Co()).fixed_term_max_consecutive == 3


def test_add_months_clamps_to_month_end():
    assert calc.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert calc.add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)
    assert calc.latest_end(D(2026, 1, 1), 36) == D(2028, 12, 31)


def test_fixed_term_of_36_months_is_allowed_one_day_more_is_refused():
    assert calc.check_fixed_term_length(D(2026, 1, 1), D(2028, 12, 31), P) is None
    refusal = calc.check_fixed_term_length(D(2026, 1, 1), D(2029, 1, 1), P)
    assert refusal is not None
    assert refusal.code == "fixed_term_too_long"
    assert refusal.article == "Art. 20.1.b"
    assert "20.1.b" in refusal.message
    assert "31/12/2028" in refusal.message


def test_the_third_consecutive_fixed_term_contract_is_refused():
    priors = [
        prior("probation", D(2022, 11, 1), D(2022, 12, 31)),
        prior("fixed_term", D(2023, 1, 1), D(2023, 12, 31)),
        prior("fixed_term", D(2024, 1, 1), D(2025, 12, 31), state="active"),
    ]
    refusal = calc.check_consecutive_fixed_term(priors, D(2026, 1, 1), P)
    assert refusal is not None
    assert refusal.code == "indefinite_required"
    assert refusal.article == "Art. 20.2.c"
    assert "20.2" in refusal.message
    # the second one was fine
    assert calc.check_consecutive_fixed_term(priors[:2], D(2024, 1, 1), P) is None
    # an indefinite-term contract is always allowed
    assert calc.check_contract(
        contract_type="indefinite", start=D(2026, 1, 1), end=None, params=P, priors=priors,
        salary=Decimal(1),
    ) is None  # fmt: skip
    # exceptions of Art. 20.2.c (older employee, foreign worker ...)
    assert calc.check_consecutive_fixed_term(priors, D(2026, 1, 1), P, exempt=True) is None
    assert calc.next_contract_type("fixed_term", priors, D(2026, 1, 1), P) == "indefinite"
    assert calc.next_contract_type("fixed_term", priors[:2], D(2024, 1, 1), P) == "fixed_term"


def test_an_indefinite_contract_breaks_the_chain_and_drafts_do_not_count():
    priors = [
        prior("fixed_term", D(2020, 1, 1), D(2020, 12, 31)),
        prior("fixed_term", D(2021, 1, 1), D(2021, 12, 31)),
        prior("indefinite", D(2022, 1, 1), None, state="terminated"),
        prior("fixed_term", D(2024, 1, 1), D(2024, 12, 31)),
        prior("fixed_term", D(2025, 1, 1), D(2025, 12, 31), state="draft"),
        prior("fixed_term", D(2025, 1, 1), D(2025, 12, 31), state="cancelled"),
    ]
    assert calc.consecutive_fixed_terms(priors, D(2026, 1, 1)) == 1


def test_probation_length_by_job_level():
    start = D(2026, 3, 2)
    assert calc.check_probation_length("manager", start, start + dt.timedelta(179), P) is None
    assert calc.check_probation_length("manager", start, start + dt.timedelta(180), P).code == (
        "probation_too_long"
    )
    assert calc.check_probation_length("college", start, start + dt.timedelta(59), P) is None
    r = calc.check_probation_length("college", start, start + dt.timedelta(60), P)
    assert r.article == "Art. 25.2"
    assert "60" in r.message
    assert calc.check_probation_length("intermediate", start, start + dt.timedelta(29), P) is None
    assert calc.check_probation_length("intermediate", start, start + dt.timedelta(30), P)


def test_other_jobs_count_six_working_days():
    # Mon 02/03/2026 .. Sat 07/03/2026 = 6 working days (six-day week)
    assert calc.check_probation_length("other", D(2026, 3, 2), D(2026, 3, 7), P) is None
    # Mon .. Mon = 7 working days (the Sunday does not count)
    r = calc.check_probation_length("other", D(2026, 3, 2), D(2026, 3, 9), P)
    assert r is not None
    assert r.article == "Art. 25.4"
    # the company calendar decides when given (e.g. a 5-day week)
    assert calc.check_probation_length(
        "other", D(2026, 3, 2), D(2026, 3, 9), P, working_days=6
    ) is None  # fmt: skip


def test_probation_only_once_per_job():
    priors = [prior("probation", D(2025, 1, 1), D(2025, 2, 28), position_id=7)]
    r = calc.check_probation_once(priors, 7)
    assert r is not None
    assert r.code == "probation_twice"
    assert r.article == "Art. 25"
    assert calc.check_probation_once(priors, 8) is None  # another job
    cancelled = [prior("probation", D(2025, 1, 1), D(2025, 2, 28), "cancelled", 7)]
    assert calc.check_probation_once(cancelled, 7) is None


def test_probation_pay_at_least_85_percent():
    assert calc.check_probation_pay(Decimal(8_500_000), Decimal(10_000_000), P) is None
    r = calc.check_probation_pay(Decimal(8_499_999), Decimal(10_000_000), P)
    assert r is not None
    assert r.code == "probation_pay_too_low"
    assert r.article == "Art. 26"
    assert "85%" in r.message
    assert "8.500.000" in r.message
    assert calc.check_probation_pay(None, Decimal(1), P).code == "probation_pay_required"


def test_no_probation_for_a_contract_under_one_month():
    r = calc.check_no_probation_for_short_contract(D(2026, 3, 1), D(2026, 3, 30), True)
    assert r is not None
    assert r.article == "Art. 24.3"
    assert calc.check_no_probation_for_short_contract(D(2026, 3, 1), D(2026, 3, 31), True) is None
    assert calc.check_no_probation_for_short_contract(D(2026, 3, 1), D(2026, 3, 30), False) is None


@pytest.mark.parametrize(
    ("kind", "end", "code"),
    [
        ("indefinite", D(2027, 1, 1), "indefinite_has_no_end"),
        ("fixed_term", None, "end_date_required"),
        ("service", None, "end_date_required"),
        ("fixed_term", D(2025, 1, 1), "end_before_start"),
    ],
)
def test_dates(kind, end, code):
    assert calc.check_dates(kind, D(2026, 1, 1), end).code == code


def test_expiring_window():
    on = D(2026, 11, 1)
    assert calc.expiring(D(2026, 12, 1), on, 30)
    assert not calc.expiring(D(2026, 12, 2), on, 30)
    assert not calc.expiring(None, on, 30)

"""Contract services: drafting with the Labour Code checks, signing, renewing,
terminating, numbering, collaborator agreements, expiry alerts."""

import datetime as dt
from decimal import Decimal

import pytest

from backoffice.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent
from backoffice.hr.models import Contract, JobChange
from backoffice.hr.services import contracts as svc

D = dt.date
pytestmark = pytest.mark.django_db


START, END = D(2026, 1, 1), D(2026, 12, 31)


def draft(org, kind="fixed_term", start=START, end=END, employee=None, **kw):
    kw.setdefault("salary", Decimal(20_000_000) if kind != "probation" else None)
    return svc.contract_create(
        actor=org.hr_officer, company=org.company, employee=employee or org.staff_emp,
        contract_type=kind, start_date=start, end_date=end if kind != "indefinite" else None, **kw,
    )  # fmt: skip


def sign(org, c, on=None):
    return svc.contract_sign(actor=org.hr_manager, company=org.company, contract=c, signed_on=on)


def test_numbers_per_company_and_year_and_kind(hr_org, make_employee):
    a = draft(hr_org)
    b = draft(hr_org, start=D(2026, 2, 1), end=D(2026, 3, 31))
    collab = make_employee(hr_org.company, full_name="Trần Cộng Tác", kind="collaborator")
    s = svc.contract_create(
        actor=hr_org.hr_officer, company=hr_org.company, employee=collab, contract_type="service",
        start_date=D(2026, 1, 5), end_date=D(2026, 6, 30), scope="Dịch bài viết", rate=Decimal(200_000),
        rate_unit="deliverable",
    )  # fmt: skip
    assert (a.number, b.number, s.number) == ("HĐLĐ-2026-0001", "HĐLĐ-2026-0002", "HĐDV-2026-0001")
    assert a.state == "draft"
    assert a.position == hr_org.dev
    assert a.department == hr_org.sales
    ev = AuditEvent.objects.filter(event_type="CONTRACT_DRAFTED").last()
    assert ev.after["salary_set"] is True
    assert "20000000" not in str(ev.after)


def test_the_third_fixed_term_contract_is_refused_with_the_article(hr_org):
    first = sign(hr_org, draft(hr_org, start=D(2024, 1, 1), end=D(2024, 12, 31)))
    second = sign(hr_org, draft(hr_org, start=D(2025, 1, 1), end=D(2025, 12, 31), previous=first))
    with pytest.raises(ValidationFailed) as exc:
        draft(hr_org, start=D(2026, 1, 1), end=D(2026, 12, 31), previous=second)
    assert exc.value.code == "indefinite_required"
    assert exc.value.extra == {"article": "Art. 20.2.c"}
    assert "20.2" in exc.value.message  # the article is cited in the message too
    # the renewal proposes an indefinite-term contract instead
    renewal = svc.contract_renew(actor=hr_org.hr_officer, company=hr_org.company, contract=second)
    assert renewal.contract_type == "indefinite"
    assert renewal.end_date is None
    assert renewal.start_date == D(2026, 1, 1)
    assert renewal.salary == Decimal(20_000_000)
    # an exempt worker (e.g. older employee, Art. 149) may sign a third fixed-term one
    third = draft(hr_org, start=D(2026, 1, 1), end=D(2026, 12, 31), exemption="older_employee")
    assert third.contract_type == "fixed_term"


def test_a_company_may_allow_more_consecutive_fixed_terms(hr_org):
    hr_org.company.settings = {"hr_rules": {"fixed_term_max_consecutive": 3}}
    hr_org.company.save()
    sign(hr_org, draft(hr_org, start=D(2024, 1, 1), end=D(2024, 12, 31)))
    sign(hr_org, draft(hr_org, start=D(2025, 1, 1), end=D(2025, 12, 31)))
    assert draft(hr_org, start=D(2026, 1, 1), end=D(2026, 12, 31)).pk


def test_signing_rechecks_the_rules(hr_org):
    sign(hr_org, draft(hr_org, start=D(2024, 1, 1), end=D(2024, 12, 31)))
    d2 = draft(hr_org, start=D(2025, 1, 1), end=D(2025, 12, 31))
    d3 = draft(hr_org, start=D(2026, 1, 1), end=D(2026, 12, 31))  # allowed: d2 not signed yet
    sign(hr_org, d2)
    with pytest.raises(ValidationFailed) as exc:
        sign(hr_org, d3)
    assert exc.value.code == "indefinite_required"
    d3.refresh_from_db()
    assert d3.state == "draft"


def test_over_36_months_fixed_term_is_refused(hr_org):
    assert draft(hr_org, start=D(2026, 1, 1), end=D(2028, 12, 31)).pk
    with pytest.raises(ValidationFailed) as exc:
        draft(hr_org, start=D(2026, 1, 1), end=D(2029, 1, 1))
    assert exc.value.code == "fixed_term_too_long"
    assert exc.value.extra["article"] == "Art. 20.1.b"


def test_probation_twice_for_the_same_job_is_refused(hr_org):
    p = draft(hr_org, "probation", D(2026, 1, 5), D(2026, 3, 5), salary=Decimal(8_500_000),
              job_salary=Decimal(10_000_000))  # fmt: skip
    sign(hr_org, p)
    with pytest.raises(ValidationFailed) as exc:
        draft(hr_org, "probation", D(2026, 3, 6), D(2026, 4, 5), salary=Decimal(9_000_000),
              job_salary=Decimal(10_000_000))  # fmt: skip
    assert exc.value.code == "probation_twice"
    assert exc.value.extra["article"] == "Art. 25"


def test_probation_pay_below_85_percent_is_refused(hr_org):
    with pytest.raises(ValidationFailed) as exc:
        draft(hr_org, "probation", D(2026, 1, 5), D(2026, 3, 5), salary=Decimal(8_400_000),
              job_salary=Decimal(10_000_000))  # fmt: skip
    assert exc.value.code == "probation_pay_too_low"
    assert exc.value.extra["article"] == "Art. 26"
    assert "8.500.000" in exc.value.message


def test_probation_length_by_level_and_working_days_for_other_jobs(hr_org):
    with pytest.raises(ValidationFailed) as exc:
        draft(hr_org, "probation", D(2026, 1, 5), D(2026, 3, 6), salary=Decimal(9_000_000),
              job_salary=Decimal(10_000_000))  # 61 days, college level  # fmt: skip
    assert exc.value.code == "probation_too_long"
    assert exc.value.extra["article"] == "Art. 25.2"
    # "other" jobs: 6 working days of the company calendar (Mon-Fri by default)
    ok = draft(hr_org, "probation", D(2026, 3, 2), D(2026, 3, 9), salary=Decimal(9_000_000),
               job_salary=Decimal(10_000_000), job_level="other")  # fmt: skip
    assert ok.pk


def test_no_probation_for_a_contract_under_one_month(hr_org):
    p = sign(hr_org, draft(hr_org, "probation", D(2026, 1, 5), D(2026, 2, 4),
                           salary=Decimal(9_000_000), job_salary=Decimal(10_000_000)))  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        draft(hr_org, start=D(2026, 2, 5), end=D(2026, 2, 28), previous=p)
    assert exc.value.code == "probation_short_contract"
    assert exc.value.extra["article"] == "Art. 24.3"


def test_sign_ends_the_previous_contract_and_records_the_salary(hr_org):
    p = sign(hr_org, draft(hr_org, "probation", D(2026, 1, 5), D(2026, 3, 4),
                           salary=Decimal(17_000_000), job_salary=Decimal(20_000_000)))  # fmt: skip
    renewal = svc.contract_renew(actor=hr_org.hr_officer, company=hr_org.company, contract=p)
    assert renewal.contract_type == "fixed_term"
    assert renewal.salary == Decimal(20_000_000)
    assert renewal.start_date == D(2026, 3, 5)
    assert renewal.end_date == D(2027, 3, 4)
    sign(hr_org, renewal, D(2026, 3, 1))
    p.refresh_from_db()
    assert p.state == "ended"
    assert p.terminated_on is None
    salaries = list(
        JobChange.objects.filter(employee=hr_org.staff_emp).order_by("effective_date")
        .values_list("effective_date", "kind")
    )  # fmt: skip
    assert (D(2026, 1, 5), "salary") in salaries
    assert (D(2026, 3, 5), "salary") in salaries
    assert svc.active_contract(hr_org.staff_emp, D(2026, 2, 1)) == p
    assert svc.active_contract(hr_org.staff_emp, D(2026, 4, 1)) == renewal
    with pytest.raises(Conflict):
        sign(hr_org, renewal)


def test_signing_a_new_contract_cuts_the_open_one_short(hr_org):
    old = sign(hr_org, draft(hr_org, "indefinite", D(2024, 1, 1)))
    new = sign(hr_org, draft(hr_org, "indefinite", D(2026, 6, 1), salary=Decimal(25_000_000)))
    old.refresh_from_db()
    assert old.state == "ended"
    assert old.terminated_on == D(2026, 5, 31)
    assert svc.active_contract(hr_org.staff_emp, D(2026, 5, 31)) == old
    assert svc.active_contract(hr_org.staff_emp, D(2026, 6, 1)) == new


def test_terminate_and_cancel(hr_org):
    c = sign(hr_org, draft(hr_org))
    with pytest.raises(ValidationFailed):
        svc.contract_terminate(actor=hr_org.hr_manager, company=hr_org.company, contract=c,
                               terminated_on=D(2026, 5, 1), reason=" ")  # fmt: skip
    svc.contract_terminate(actor=hr_org.hr_manager, company=hr_org.company, contract=c,
                           terminated_on=D(2026, 5, 1), reason="Thỏa thuận chấm dứt")  # fmt: skip
    c.refresh_from_db()
    assert c.state == "terminated"
    assert svc.active_contract(hr_org.staff_emp, D(2026, 5, 2)) is None
    d = draft(hr_org, start=D(2027, 1, 1), end=D(2027, 6, 30))
    svc.contract_cancel(actor=hr_org.hr_officer, company=hr_org.company, contract=d)
    d.refresh_from_db()
    assert d.state == "cancelled"
    assert AuditEvent.objects.filter(event_type="CONTRACT_TERMINATED").count() == 1


def test_service_agreements_for_collaborators_only(hr_org, make_employee):
    collab = make_employee(hr_org.company, full_name="Lý Cộng Tác", kind="collaborator")
    with pytest.raises(ValidationFailed) as exc:
        draft(hr_org, employee=collab)
    assert exc.value.code == "labour_contract_for_collaborator"
    with pytest.raises(ValidationFailed) as exc:
        svc.contract_create(actor=hr_org.hr_officer, company=hr_org.company, employee=collab,
                            contract_type="service", start_date=D(2026, 1, 1),
                            end_date=D(2026, 12, 31), scope="Viết nội dung")  # fmt: skip
    assert exc.value.code == "rate_required"
    with pytest.raises(ValidationFailed) as exc:
        svc.contract_create(actor=hr_org.hr_officer, company=hr_org.company, employee=collab,
                            contract_type="service", start_date=D(2026, 1, 1), scope="x",
                            rate=Decimal(1), rate_unit="hour")  # fmt: skip
    assert exc.value.code == "end_date_required"
    with pytest.raises(ValidationFailed) as exc:
        svc.contract_create(actor=hr_org.hr_officer, company=hr_org.company,
                            employee=hr_org.staff_emp, contract_type="service",
                            start_date=D(2026, 1, 1), end_date=D(2026, 2, 1), scope="x",
                            rate=Decimal(1), rate_unit="hour")  # fmt: skip
    assert exc.value.code == "service_for_employee"
    # 48 months: no Labour Code limit on a service agreement
    s = svc.contract_create(actor=hr_org.hr_officer, company=hr_org.company, employee=collab,
                            contract_type="service", start_date=D(2026, 1, 1),
                            end_date=D(2029, 12, 31), scope="Viết nội dung", rate=Decimal(150_000),
                            rate_unit="hour")  # fmt: skip
    sign(hr_org, s)
    assert not JobChange.objects.filter(employee=collab).exists()


def test_a_contract_cannot_start_before_the_start_date(hr_org):
    with pytest.raises(ValidationFailed) as exc:
        draft(hr_org, start=D(2023, 5, 1), end=D(2023, 12, 31))  # hired 01/06/2023
    assert exc.value.code == "before_hire"


def test_permissions_and_company(hr_org, make_employee):
    with pytest.raises(PermissionDenied):
        svc.contract_create(actor=hr_org.accountant, company=hr_org.company,
                            employee=hr_org.staff_emp, contract_type="indefinite",
                            start_date=D(2026, 1, 1), salary=Decimal(1))  # fmt: skip
    foreign = make_employee(hr_org.other_company, full_name="Người Công Ty Khác")
    with pytest.raises(ValidationFailed) as exc:
        draft(hr_org, employee=foreign)
    assert exc.value.code == "cross_company_reference"
    c = draft(hr_org)
    with pytest.raises(PermissionDenied):
        svc.contract_sign(actor=hr_org.payroll, company=hr_org.company, contract=c)
    with pytest.raises(NotFound):
        svc.contract_sign(actor=hr_org.outsider_hr, company=hr_org.other_company, contract=c)


def test_expiry_alerts_are_idempotent(hr_org, make_employee):
    from backoffice.workflow.models import Task

    other = make_employee(hr_org.company, full_name="Phan Văn Hết Hạn", position=hr_org.dev)
    soon = sign(hr_org, draft(hr_org, start=D(2026, 1, 1), end=D(2026, 12, 1)))
    sign(hr_org, draft(hr_org, employee=other, start=D(2026, 1, 1), end=D(2026, 12, 31)))
    assert svc.contract_expiry_alerts(company=hr_org.company, on=D(2026, 11, 1)) == 1
    assert svc.contract_expiry_alerts(company=hr_org.company, on=D(2026, 11, 1)) == 0
    assert svc.contract_expiry_alerts(company=hr_org.company, on=D(2026, 11, 5)) == 0
    task = Task.objects.get(company=hr_org.company)
    assert task.assignee == hr_org.hr_officer
    assert task.link == soon
    assert soon.number in task.title
    assert "01/12/2026" in task.title
    assert task.due_date == D(2026, 11, 24)
    # a day later the second contract enters the 30-day window
    assert svc.contract_expiry_alerts(company=None, on=D(2026, 12, 1)) == 1
    assert Task.objects.filter(company=hr_org.company).count() == 2
    # the other company has nothing
    assert not Task.objects.filter(company=hr_org.other_company).exists()


def test_expiry_alert_cli_and_job(hr_org):
    from click.testing import CliRunner

    from backoffice.cli import main
    from backoffice.core.jobs import registered_kinds

    assert "hr.contract_alerts" in registered_kinds()
    sign(hr_org, draft(hr_org, start=D(2026, 1, 1), end=D(2026, 12, 1)))
    runner = CliRunner()
    args = ["hr", "contract-alerts", "--company", hr_org.company.code, "--on", "2026-11-15"]
    out = runner.invoke(main, [*args, "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"created": 1' in out.output
    out = runner.invoke(main, [*args, "--format", "json"])
    assert '"created": 0' in out.output
    assert Contract.objects.get(employee=hr_org.staff_emp).expiry_task_created
    out = runner.invoke(main, ["hr", "contracts", "--company", hr_org.company.code, "--format",
                               "csv"])  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "HĐLĐ-2026-0001" in out.output
    assert "20000000" not in out.output
    out = runner.invoke(main, ["hr", "contract-alerts", "--company", "NOPE"])
    assert out.exit_code == 2


def test_expiry_alert_job_kind(hr_org):
    from backoffice.core.jobs import job_enqueue, job_run

    sign(hr_org, draft(hr_org, start=D(2026, 1, 1), end=D(2026, 12, 1)))
    with pytest.raises(PermissionDenied):
        job_enqueue(actor=hr_org.accountant, company=hr_org.company, kind="hr.contract_alerts")
    job = job_enqueue(actor=hr_org.hr_officer, company=hr_org.company, kind="hr.contract_alerts",
                      params={"on": "2026-11-15"})  # fmt: skip
    job = job_run(job_id=job.pk)
    assert job.status == "succeeded"
    assert job.result == {"created": 1}

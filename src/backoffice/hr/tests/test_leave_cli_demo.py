"""`backoffice hr leave-setup | leave-accrue | holidays`, the accrual job and the
leave demo data."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from click.testing import CliRunner

from backoffice.cli import main
from backoffice.hr.models import LeaveEntry, LeaveRequest, LeaveType

pytestmark = pytest.mark.django_db


def test_cli_setup_accrue_and_holidays(hr_org):
    runner = CliRunner()
    r = runner.invoke(main, ["hr", "leave-setup", "--company", "ACO", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)[0]["created"].startswith("PN")
    args = ["hr", "leave-accrue", "--company", "ACO", "--year", "2026", "--on", "2026-01-02"]
    r = runner.invoke(main, [*args, "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == [{"company": "ACO", "year": 2026, "rows": 3}]
    r = runner.invoke(main, [*args, "--format", "json"])
    assert json.loads(r.output)[0]["rows"] == 0  # idempotent
    r = runner.invoke(main, ["hr", "leave-accrue", "--company", "NOPE"])
    assert r.exit_code == 2
    assert "unknown company" in r.output
    r = runner.invoke(main, ["hr", "leave-accrue", "--company", "ACO", "--on", "2026-13-01"])
    assert r.exit_code == 2
    r = runner.invoke(main, ["hr", "holidays", "--company", "ACO", "--year", "2026",
                             "--format", "json"])  # fmt: skip
    rows = json.loads(r.output)
    assert {"date": "24/11/2026", "weekday": "Tue", "name": "Ngày Văn hóa Việt Nam"} in rows
    assert len(rows) == 14


def test_accrual_job(hr_org):
    from backoffice.core.jobs import job_enqueue, job_run
    from backoffice.hr.setup.leave import company_defaults

    company_defaults(company=hr_org.company)
    job = job_enqueue(actor=hr_org.hr_officer, company=hr_org.company, kind="hr.leave_accrue",
                      params={"year": 2026})  # fmt: skip
    job = job_run(job_id=job.pk)
    assert job.status == "succeeded", job.error
    assert job.result["rows"] >= 3


def test_demo_writes_a_consistent_history(hr_org, make_employee):
    from backoffice.hr import demo_leave
    from backoffice.hr.models import Employee
    from backoffice.hr.services.leave import leave_balance

    for i in range(20):
        make_employee(hr_org.company, full_name=f"Nhân viên {i}", hire_date=dt.date(2022, 1, 3),
                      department=hr_org.sales)  # fmt: skip
    people = list(Employee.objects.filter(company=hr_org.company))
    demo_leave.demo(company=hr_org.company, employees=people, rng=random.Random(5), fake=None)
    pn = LeaveType.objects.get(company=hr_org.company, code="PN")
    assert LeaveRequest.objects.filter(company=hr_org.company, state="approved").exists()
    this_year = dt.date.today().year
    for emp in people:
        assert leave_balance(emp, pn, this_year) >= 0
        assert leave_balance(emp, pn, this_year - 1) == 0  # closed by the carry-over
    taken = LeaveEntry.objects.filter(kind="taken").count()
    assert taken == LeaveRequest.objects.filter(state="approved").count()

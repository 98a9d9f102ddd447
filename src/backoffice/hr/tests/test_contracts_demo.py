"""The demo contracts obey the Labour Code rules they demonstrate."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from backoffice.hr import demo_contracts
from backoffice.hr.calculations import contracts as calc
from backoffice.hr.models import Contract, JobChange

pytestmark = pytest.mark.django_db


def test_demo_contracts_follow_the_rules(hr_org, make_employee):
    rng = random.Random(7)
    today = dt.date.today()
    people = [hr_org.staff_emp]
    for i, years in enumerate((0.2, 1.5, 3.5, 9)):
        hired = today - dt.timedelta(days=int(years * 365))
        emp = make_employee(hr_org.company, full_name=f"Demo {i}", hire_date=hired,
                            position=hr_org.dev, department=hr_org.sales)  # fmt: skip
        JobChange.objects.create(company=hr_org.company, employee=emp, kind="hire",
                                 effective_date=hired, salary=Decimal(14_000_000))  # fmt: skip
        people.append(emp)
    people.append(make_employee(hr_org.company, full_name="Cộng Tác Demo", kind="collaborator"))
    created = demo_contracts.demo(company=hr_org.company, employees=people, rng=rng)
    assert created == Contract.objects.filter(company=hr_org.company).count() > len(people)
    params = calc.params_on(today)
    for emp in people:
        contracts = list(Contract.objects.filter(employee=emp).order_by("start_date"))
        assert contracts, emp
        active = [c for c in contracts if c.state == "active"]
        assert len(active) <= 1
        for i, c in enumerate(contracts):
            priors = [calc.PriorContract(p.contract_type, p.start_date, p.end_date, p.state,
                                         p.position_id) for p in contracts[:i]]  # fmt: skip
            refusal = calc.check_contract(
                contract_type=c.contract_type, start=c.start_date, end=c.end_date, params=params,
                priors=priors, job_level=c.job_level, position_id=c.position_id, salary=c.salary,
                job_salary=c.job_salary, working_days=0,
            ) if c.contract_type != "service" else None  # fmt: skip
            assert refusal is None, (emp, c, refusal)
    numbers = list(Contract.objects.filter(company=hr_org.company).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    veteran = Contract.objects.filter(employee=people[4]).order_by("start_date")
    assert [c.contract_type for c in veteran] == ["probation", "fixed_term", "fixed_term",
                                                   "indefinite"]  # fmt: skip
    assert veteran.last().state == "active"

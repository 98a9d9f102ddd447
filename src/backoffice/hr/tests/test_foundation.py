"""The shared HR access rules: encryption at rest, salary visibility, teams."""

import pytest
from django.db import connection

from backoffice.hr import selectors
from backoffice.hr.models import Employee, JobChange


@pytest.mark.django_db
def test_identifiers_and_salary_are_ciphertext_in_a_dump(hr_org):
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM hr_employee")
        rows = cur.fetchall()
        cur.execute("SELECT * FROM hr_jobchange")
        rows += cur.fetchall()
    dump = repr(rows)
    for canary in ("079203001234", "8765432109", "0071000123456", "7912345678", "15000000"):
        assert canary not in dump
    again = Employee.objects.get(pk=hr_org.staff_emp.pk)
    assert again.national_id == "079203001234"
    assert JobChange.objects.get(employee=again).salary == 15000000


@pytest.mark.django_db
def test_salary_visible_to_salary_roles_and_the_person_only(hr_org):
    emp = hr_org.staff_emp
    seen = {
        name: selectors.may_see_salary(
            user=getattr(hr_org, name), company=hr_org.company, employee=emp
        )  # fmt: skip
        for name in (
            "hr_manager",
            "payroll",
            "staff",
            "hr_officer",
            "manager",
            "other_manager",
            "it_officer",
            "accountant",
            "analyst",
        )  # fmt: skip
    }
    assert seen == {
        "hr_manager": True, "payroll": True, "staff": True, "hr_officer": False,
        "manager": False, "other_manager": False, "it_officer": False, "accountant": False,
        "analyst": False,
    }  # fmt: skip


@pytest.mark.django_db
def test_team_is_the_managed_department_and_reporting_line(hr_org):
    team = selectors.team_employee_ids(user=hr_org.manager, company=hr_org.company)
    assert hr_org.staff_emp.pk in team
    assert hr_org.manager_emp.pk not in team
    assert selectors.team_employee_ids(user=hr_org.other_manager, company=hr_org.company) == {
        e.pk for e in Employee.objects.filter(department=hr_org.it)
    } - {Employee.objects.get(user=hr_org.other_manager).pk}

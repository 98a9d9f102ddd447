"""T4 table of the HR employees area: the employee list/detail (view: hr.view_employee,
add: hr.add_employee, change: hr.change_employee, never deleted), the import page, and
the HR pages under /desk/hr/ (org chart, reports, reveal, job change: their own tests
prove who may open them, test_employees_desk.py)."""

from __future__ import annotations

from datetime import date

from t4_base import Row, Screen

DESK = {
    "hr.employee": Screen("hr.view_employee", "hr.add_employee", "hr.change_employee", None),
}

EXTRA_URLS = {"hr_employee_import_employees": "hr.add_employee"}

APP_URLS = {"hr": {"org_chart", "reports", "employee_reveal", "employee_job_change"}}


def build_rows(a, b, alpha, bravo):
    from backoffice.hr.models import Employee

    def person(company, tag):
        emp = Employee.objects.create(
            company=company, code=f"T4-{tag}", full_name=f"{tag}-EMPLOYEE-NAME",
            hire_date=date(2025, 1, 2), national_id="0012000" + ("11111" if tag == "ALPHA"
                                                                  else "22222"),
        )  # fmt: skip
        return Row(emp, emp.full_name, str(emp.public_id))

    return {"hr.employee": {"own": person(a, "ALPHA"), "other": person(b, "BRAVO")}}

"""T5 seed of the HR attendance API: the administrator is also HR manager; the
company has its work schedules, one person and one attendance record (read,
then deleted last by the fuzzer)."""

from __future__ import annotations

from datetime import date, time


def seed(company, admin):
    from backoffice.core.enums import Role
    from backoffice.core.models import Membership
    from backoffice.hr.models import Employee
    from backoffice.hr.services import attendance as svc

    Membership.objects.get_or_create(user=admin, company=company, role=Role.HR_MANAGER)
    admin.__dict__.pop("_company_perm_cache", None)
    svc.work_schedule_defaults_create(company=company)
    person = Employee.objects.create(
        company=company, code=f"T5-{company.code}", full_name=f"Chấm Công {company.code}",
        hire_date=date(2024, 1, 2),
    )  # fmt: skip
    rec = svc.attendance_record(
        actor=admin, company=company, employee=person, date=date(2026, 11, 2),
        check_in=time(8), check_out=time(19),
    )  # fmt: skip
    ids = {"record_id": rec.public_id}
    secrets = {person.public_id, *company.workschedule_set.values_list("public_id", flat=True)}
    return ids, secrets


# Random data cannot name a real person or make a valid time-clock file; the
# attendance tests (test_attendance_desk_api.py) cover their success paths.
NO_2XX_EXPECTED = {
    "POST /api/v1/hr/attendance": "employee_id must name a real person of the company",
    "POST /api/v1/hr/attendance/import": "a random file is not a valid time-clock export",
    "GET /api/v1/hr/attendance/summary": "employee_id must name a real person of the company",
}

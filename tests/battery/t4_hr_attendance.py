"""T4 table of the HR attendance area: work schedules and attendance records
(``hr.view_attendance`` reads, ``hr.manage_attendance`` writes), the time-clock
import page, and the timesheet / overtime pages (namespace ``hr``; the
attendance tests prove a manager sees only their team there)."""

from __future__ import annotations

from datetime import date, time

from t4_base import Row, Screen

VIEW, MANAGE = "hr.view_attendance", "hr.manage_attendance"

DESK = {
    "hr.workschedule": Screen(VIEW, MANAGE, MANAGE, MANAGE),
    "hr.attendancerecord": Screen(VIEW, MANAGE, MANAGE, MANAGE),
}

EXTRA_URLS = {"hr_attendancerecord_import_attendance": MANAGE}

APP_URLS = {"hr": {"attendance_timesheet", "attendance_overtime"}}


def build_rows(a, b, alpha, bravo):
    from backoffice.hr.models import AttendanceRecord, Employee, WorkSchedule

    rows: dict[str, dict[str, Row]] = {}

    def schedule(company, tag):
        ws = WorkSchedule.objects.create(company=company, name=f"{tag}-SCHEDULE")
        return Row(ws, f"{tag}-SCHEDULE", str(ws.public_id))

    def attendance(company, tag):
        person = Employee.objects.create(
            company=company, code=f"ATT-{tag}", full_name=f"{tag}-ATTPERSON",
            hire_date=date(2024, 1, 2),
        )  # fmt: skip
        rec = AttendanceRecord.objects.create(
            company=company, employee=person, date=date(2026, 11, 2), check_in=time(8),
            check_out=time(17), note=f"{tag}-ATTNOTE",
        )  # fmt: skip
        return Row(rec, f"{tag}-ATTPERSON", str(rec.public_id))

    rows["hr.workschedule"] = {"own": schedule(a, "ALPHA"), "other": schedule(b, "BRAVO")}
    rows["hr.attendancerecord"] = {"own": attendance(a, "ALPHA"), "other": attendance(b, "BRAVO")}
    return rows

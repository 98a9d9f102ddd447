"""Attendance services: recording a day, self-service limits, schedules, the
time-clock import (all-or-nothing with row numbers, job), the monthly summary
and the overtime caps."""

import datetime as dt
from decimal import Decimal as D

import pytest

from backoffice.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent
from backoffice.hr.models import AttendanceRecord, WorkSchedule
from backoffice.hr.selectors import attendance as sel
from backoffice.hr.services import attendance as svc
from backoffice.hr.services.attendance_import import AttendanceImportFailed, attendance_import

T = dt.time
HOLIDAYS = {dt.date(2026, 9, 2), dt.date(2026, 11, 24), dt.date(2026, 1, 1)}


def fake_day_kind(company, day, schedule=None):
    """The calendar (hr.services.calendar.day_kind), injected: fixed holidays."""
    if day in HOLIDAYS:
        return "holiday"
    return "working" if day.weekday() < 5 else "rest"


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids), whatever the translations."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def org(hr_org, monkeypatch):
    monkeypatch.setattr(svc, "day_kind_function", lambda: fake_day_kind)
    svc.work_schedule_defaults_create(company=hr_org.company)
    return hr_org


def record(org, day, cin, cout, emp=None, actor=None, source="desk"):
    return svc.attendance_record(
        actor=actor or org.hr_officer, company=org.company, employee=emp or org.staff_emp,
        date=day, check_in=cin, check_out=cout, source=source,
    )  # fmt: skip


def hours(rec):
    return {k: getattr(rec, k) for k in ("worked_hours", "night_hours", "ot_weekday",
                                         "ot_rest_day", "ot_holiday", "ot_night")
            if getattr(rec, k)}  # fmt: skip


@pytest.mark.django_db
def test_default_schedules_are_created_once(org):
    names = set(WorkSchedule.objects.filter(company=org.company).values_list("name", flat=True))
    assert len(names) == 2
    default = sel.default_schedule(org.company)
    assert (default.working_days, default.start_time, default.end_time, default.hours_per_day) == (
        "1111100", T(8), T(17), D(8))  # fmt: skip
    sat = WorkSchedule.objects.get(company=org.company, is_default=False)
    assert (sat.working_days, sat.half_days) == ("1111110", "0000010")
    assert svc.work_schedule_defaults_create(company=org.company) == 0


@pytest.mark.django_db
def test_company_created_hook_gives_a_new_company_its_schedules(db):
    from backoffice.core import hooks
    from backoffice.core.models import Company

    c = Company.objects.create(code="NEWCO", name="Mới")
    hooks.company_created(company=c, actor=None)
    assert WorkSchedule.objects.filter(company=c, is_default=True).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "cin", "cout", "expected"),
    [
        (dt.date(2026, 11, 25), T(8), T(19, 30), {"worked_hours": D(8), "ot_weekday": D("2.5")}),
        (
            dt.date(2026, 11, 25),
            T(8),
            T(23),
            {"worked_hours": D(8), "ot_weekday": D(6), "ot_night": D(1)},
        ),
        (dt.date(2026, 11, 22), T(8), T(17), {"ot_rest_day": D(8)}),
        (dt.date(2026, 11, 24), T(8), T(12), {"ot_holiday": D(4)}),
        (dt.date(2026, 9, 2), T(20), T(4), {"ot_holiday": D(8), "ot_night": D(6)}),
    ],
    ids=["weekday", "weekday-night", "rest-day", "holiday", "holiday-night"],
)
def test_record_classifies_overtime_with_exact_hours(org, day, cin, cout, expected):
    rec = record(org, day, cin, cout)
    assert hours(rec) == expected
    assert rec.source == "desk"


@pytest.mark.django_db
def test_real_calendar_knows_national_day_and_sunday(hr_org):
    """Without injection: whichever calendar is installed, 2 Sep 2026 is a holiday."""
    svc.work_schedule_defaults_create(company=hr_org.company)
    rec = record(hr_org, dt.date(2026, 9, 2), T(8), T(17))
    assert hours(rec) == {"ot_holiday": D(8)}
    rec = record(hr_org, dt.date(2026, 11, 22), T(8), T(12))
    assert hours(rec) == {"ot_rest_day": D(4)}


@pytest.mark.django_db
def test_a_second_record_of_the_day_corrects_the_first_and_is_audited(org):
    day = dt.date(2026, 11, 25)
    record(org, day, T(8), T(17))
    rec = record(org, day, T(8), T(18))
    assert AttendanceRecord.objects.filter(employee=org.staff_emp, date=day).count() == 1
    assert rec.ot_weekday == D(1)
    events = list(AuditEvent.objects.filter(object_id=str(rec.public_id)).order_by("seq"))
    assert [e.event_type for e in events] == ["ATTENDANCE_RECORDED", "ATTENDANCE_CORRECTED"]
    assert events[1].before["check_out"] == "17:00"
    assert events[1].after["check_out"] == "18:00"


@pytest.mark.django_db
def test_self_service_own_recent_days_only(org, monkeypatch):
    from django.utils import timezone

    today = timezone.localdate()
    rec = record(org, today, T(8), None, actor=org.staff, source="portal")
    assert rec.check_in == T(8)
    assert rec.worked_hours == 0
    with pytest.raises(PermissionDenied):  # someone else's day
        record(org, today, T(8), T(17), emp=org.manager_emp, actor=org.staff, source="portal")
    with pytest.raises(ValidationFailed) as exc:  # too old
        record(org, today - dt.timedelta(days=3), T(8), T(17), actor=org.staff, source="portal")
    assert exc.value.code == "self_service_window"
    with pytest.raises(PermissionDenied):  # not through the desk
        record(org, today, T(8), T(17), actor=org.staff, source="desk")
    record(org, today - dt.timedelta(days=1), T(8), T(17))  # HR recorded yesterday
    with pytest.raises(Conflict):
        record(org, today - dt.timedelta(days=1), T(8), T(18), actor=org.staff, source="portal")


@pytest.mark.django_db
def test_future_days_and_days_before_hire_are_refused(org):
    from django.utils import timezone

    with pytest.raises(ValidationFailed) as exc:
        record(org, timezone.localdate() + dt.timedelta(days=1), T(8), T(17))
    assert exc.value.code == "future_date"
    with pytest.raises(ValidationFailed) as exc:
        record(org, dt.date(2023, 5, 31), T(8), T(17))
    assert exc.value.code == "before_hire"
    org.staff_emp.kind = "collaborator"
    with pytest.raises(ValidationFailed) as exc:
        record(org, dt.date(2026, 11, 25), T(8), T(17))
    assert exc.value.code == "collaborator_attendance"


@pytest.mark.django_db
def test_another_company_cannot_record_or_see(org):
    rec = record(org, dt.date(2026, 11, 25), T(8), T(17))
    with pytest.raises(PermissionDenied):
        svc.attendance_record(actor=org.outsider_hr, company=org.other_company,
                              employee=org.staff_emp, date=dt.date(2026, 11, 26),
                              check_in=T(8), check_out=T(17))  # fmt: skip
    assert not sel.attendance_list(user=org.outsider_hr, company=org.other_company).exists()
    with pytest.raises(NotFound):
        sel.attendance_get_for_user(user=org.outsider_hr, company=org.other_company,
                                    public_id=rec.public_id)  # fmt: skip


@pytest.mark.django_db
def test_a_manager_sees_only_their_team(org, make_employee):
    it_person = make_employee(org.company, full_name="Người CNTT", department=org.it)
    record(org, dt.date(2026, 11, 25), T(8), T(17))
    record(org, dt.date(2026, 11, 25), T(8), T(17), emp=it_person)
    seen = set(sel.attendance_list(user=org.manager, company=org.company)
               .values_list("employee__full_name", flat=True))  # fmt: skip
    assert seen == {"Nguyễn Thị Lan"}
    seen = set(sel.attendance_list(user=org.other_manager, company=org.company)
               .values_list("employee__full_name", flat=True))  # fmt: skip
    assert seen == {"Người CNTT"}
    assert sel.attendance_list(user=org.hr_officer, company=org.company).count() == 2
    assert set(sel.attendance_list(user=org.staff, company=org.company)
               .values_list("employee__full_name", flat=True)) == {"Nguyễn Thị Lan"}  # fmt: skip
    with pytest.raises(PermissionDenied):
        sel.attendance_list(user=org.accountant, company=org.company)


# --- schedules ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_schedule_rules(org):
    ws = svc.work_schedule_create(actor=org.hr_officer, company=org.company, name="Ca đêm",
                                  start_time=T(22), end_time=T(6), break_start=T(2),
                                  break_minutes=60)  # fmt: skip
    assert ws.hours_per_day == D(7)
    with pytest.raises(ValidationFailed) as exc:
        svc.work_schedule_create(actor=org.hr_officer, company=org.company, name="Dài",
                                 start_time=T(7), end_time=T(18), break_minutes=60)  # fmt: skip
    assert exc.value.code == "too_many_hours"  # 10 h > 8 h (Art. 105)
    with pytest.raises(ValidationFailed):
        svc.work_schedule_create(actor=org.hr_officer, company=org.company, name="Sai",
                                 working_days="11111")  # fmt: skip
    with pytest.raises(PermissionDenied):
        svc.work_schedule_create(actor=org.manager, company=org.company, name="X")
    org.staff_emp.work_schedule = ws
    org.staff_emp.save()
    with pytest.raises(Conflict):
        svc.work_schedule_delete(actor=org.hr_officer, company=org.company, schedule=ws)
    rec = record(org, dt.date(2026, 11, 25), T(22), T(6))
    assert hours(rec) == {"worked_hours": D(7), "night_hours": D(7)}


# --- import ---------------------------------------------------------------------------------

HEADER = "employee_code,date,check_in,check_out,note\n"


def csv_bytes(*lines):
    return (HEADER + "\n".join(lines) + "\n").encode()


@pytest.mark.django_db
def test_import_stores_every_row_and_replaces_a_recorded_day(org):
    code = org.staff_emp.code
    record(org, dt.date(2026, 11, 23), T(9), T(17))
    result = attendance_import(actor=org.hr_officer, company=org.company, file_bytes=csv_bytes(
        f"{code},2026-11-23,08:00,17:00,",
        f"{code},24/11/2026,08:00,12:00,Trực lễ",
        f"{org.manager_emp.code},2026-11-25,07:55,19:00:30,",
    ), filename="may-cham-cong.csv")  # fmt: skip
    assert result == {"file": "may-cham-cong.csv", "rows": 3, "created": 2, "updated": 1,
                      "employees": 2, "from": "2026-11-23", "to": "2026-11-25"}  # fmt: skip
    by_day = {r.date: r for r in AttendanceRecord.objects.filter(company=org.company)}
    assert hours(by_day[dt.date(2026, 11, 23)]) == {"worked_hours": D(8)}
    assert by_day[dt.date(2026, 11, 24)].ot_holiday == D(4)
    assert by_day[dt.date(2026, 11, 24)].note == "Trực lễ"
    assert hours(by_day[dt.date(2026, 11, 25)]) == {"worked_hours": D(8), "ot_weekday": D(2)}
    assert {r.source for r in by_day.values()} == {"import"}
    assert AuditEvent.objects.filter(event_type="ATTENDANCE_IMPORTED").count() == 1


@pytest.mark.django_db
def test_import_with_bad_rows_changes_nothing_and_names_every_row(org):
    code = org.staff_emp.code
    before = record(org, dt.date(2026, 11, 23), T(9), T(17))
    data = csv_bytes(
        f"{code},2026-11-23,08:00,17:00,",  # row 2: fine
        "NV99999,2026-11-24,08:00,17:00,",  # row 3: unknown person
        f"{code},31/02/2026,08:00,17:00,",  # row 4: no such date
        f"{code},2026-11-25,8h,17:00,",  # row 5: bad time
        f"{code},2026-11-23,08:00,18:00,",  # row 6: same day as row 2
        "",  # row 7: blank, skipped
        f"{code},2099-01-01,08:00,17:00,",  # row 8: future
    )
    with pytest.raises(AttendanceImportFailed) as exc:
        attendance_import(actor=org.hr_officer, company=org.company, file_bytes=data)
    rows = [(e["row"], e["message"]) for e in exc.value.extra["errors"]]
    assert [r for r, _m in rows] == [3, 4, 5, 6, 8]
    assert "NV99999" in rows[0][1]
    assert "31/02/2026" in rows[1][1]
    assert "8h" in rows[2][1]
    assert "row 2" in rows[3][1]
    assert exc.value.code == "import_failed"
    assert AttendanceRecord.objects.filter(company=org.company).count() == 1
    before.refresh_from_db()
    assert before.check_in == T(9)
    assert not AuditEvent.objects.filter(event_type="ATTENDANCE_IMPORTED").exists()


@pytest.mark.django_db
def test_import_refuses_missing_columns_and_needs_the_permission(org):
    with pytest.raises(AttendanceImportFailed) as exc:
        attendance_import(actor=org.hr_officer, company=org.company,
                          file_bytes=b"code,date\nNV1,2026-11-23\n")  # fmt: skip
    assert exc.value.extra["errors"][0]["row"] == 1
    with pytest.raises(PermissionDenied):
        attendance_import(actor=org.manager, company=org.company, file_bytes=csv_bytes())
    # A code of the other company is unknown here.
    with pytest.raises(AttendanceImportFailed):
        attendance_import(
            actor=org.outsider_hr,
            company=org.other_company,
            file_bytes=csv_bytes(f"{org.staff_emp.code},2026-11-23,08:00,17:00,"),
        )


@pytest.mark.django_db
def test_large_import_runs_as_a_job_with_progress(org, settings, tmp_path):
    from backoffice.core.jobs import job_run
    from backoffice.hr.services.attendance_import import attendance_import_enqueue

    settings.HOME = tmp_path
    lines = []
    day = dt.date(2026, 1, 2)
    while day <= dt.date(2026, 11, 20):
        if day.weekday() < 5:
            lines.append(f"{org.staff_emp.code},{day.isoformat()},08:00,17:00,")
        day += dt.timedelta(days=1)
    job = attendance_import_enqueue(actor=org.hr_officer, company=org.company,
                                    file_bytes=csv_bytes(*lines), filename="nam.csv")  # fmt: skip
    job = job_run(job_id=job.pk)
    assert job.status == "succeeded", job.error
    assert job.result["rows"] == len(lines)
    assert job.progress_done == job.progress_total
    assert AttendanceRecord.objects.filter(employee=org.staff_emp).count() == len(lines)
    assert not list((tmp_path / "imports").iterdir())


# --- month summary and caps ------------------------------------------------------------------


def _ot_days(org, month, evenings, year=2026):
    """Weekdays of the month with 08:00-21:00 (4 h of overtime each)."""
    day, n = dt.date(year, month, 1), 0
    while n < evenings:
        if day.weekday() < 5 and day not in HOLIDAYS:
            record(org, day, T(8), T(21))
            n += 1
        day += dt.timedelta(days=1)


@pytest.mark.django_db
def test_month_summary_for_payroll(org):
    record(org, dt.date(2026, 11, 2), T(8), T(17))
    record(org, dt.date(2026, 11, 3), T(8), T(19))
    record(org, dt.date(2026, 11, 22), T(8), T(12))  # Sunday
    record(org, dt.date(2026, 11, 24), T(18), T(23))  # holiday, 1 h at night
    s = sel.month_summary(company=org.company, employee=org.staff_emp, year=2026, month=11)
    # November 2026: 21 weekdays, one of them the 24th (holiday).
    assert s["standard_days"] == D(20)
    assert s["paid_holidays"] == D(1)
    assert s["worked_days"] == D(2)
    assert s["days_present"] == 4
    assert s["paid_days"] == D(3)
    assert s["hours"] == {"normal": D(16), "night": D(0)}
    assert s["overtime"] == {"weekday": D(2), "rest_day": D(4), "holiday": D(5), "night": D(1),
                             "total": D(11)}  # fmt: skip
    assert s["caps"]["flags"] == []
    assert s["caps"]["month_cap"] == D(40)


@pytest.mark.django_db
def test_monthly_cap_flag_at_forty_hours(org):
    _ot_days(org, 11, 10)  # 10 x 4 h = 40 h: at the cap, not over
    s = sel.month_summary(company=org.company, employee=org.staff_emp, year=2026, month=11)
    assert s["overtime"]["total"] == D(40)
    assert s["caps"]["flags"] == []
    record(org, dt.date(2026, 11, 15), T(8), T(8, 15))  # Sunday, 15 min more
    s = sel.month_summary(company=org.company, employee=org.staff_emp, year=2026, month=11)
    assert s["caps"]["month_hours"] == D("40.25")
    assert s["caps"]["flags"] == ["month_cap"]


@pytest.mark.django_db
def test_yearly_cap_flag_at_two_hundred_hours_and_the_extended_sector(org):
    for month in range(1, 6):
        _ot_days(org, month, 10)  # 5 x 40 h = 200 h
    s = sel.month_summary(company=org.company, employee=org.staff_emp, year=2026, month=5)
    assert s["caps"]["year_hours"] == D(200)
    assert s["caps"]["flags"] == []
    record(org, dt.date(2026, 6, 1), T(8), T(19))
    s = sel.month_summary(company=org.company, employee=org.staff_emp, year=2026, month=6)
    assert s["caps"]["year_hours"] == D(202)
    assert s["caps"]["flags"] == ["year_cap"]
    report = sel.overtime_report(org.company, 2026, 6)
    assert [(r["code"], r["flags"]) for r in report] == [(org.staff_emp.code, ["year_cap"])]
    svc.overtime_sector_set(actor=org.hr_manager, company=org.company, extended=True)
    s = sel.month_summary(company=org.company, employee=org.staff_emp, year=2026, month=6)
    assert s["caps"]["year_cap"] == D(300)
    assert s["caps"]["flags"] == []


@pytest.mark.django_db
def test_daily_cap_is_counted_in_the_report(org):
    record(org, dt.date(2026, 11, 25), T(8), T(22))  # 5 h > 4 h
    record(org, dt.date(2026, 11, 26), T(8), T(21))  # 4 h: within
    (row,) = sel.overtime_report(org.company, 2026, 11)
    assert row["days_over_daily_cap"] == 1
    assert row["flags"] == ["daily_cap"]
    assert row["month"]["weekday"] == D(9)
    assert row["days_with_overtime"] == 2
    s = sel.month_summary(company=org.company, employee=org.staff_emp, year=2026, month=11)
    assert s["caps"]["days_over_daily_cap"] == 1


@pytest.mark.django_db
def test_daily_cap_in_the_month_summaries_is_each_schedules_own(org):
    """The bulk summary counts days over the cap of each person's schedule: 3.5 h
    of evening overtime is within 4 h (8 h day) but over 3 h (6 h day); a rest
    day is capped at 12 h."""
    short = WorkSchedule.objects.create(
        company=org.company, name="Ca sáng 6 giờ", start_time=T(8), end_time=T(14),
        break_minutes=0, break_start=None, hours_per_day=D(6),
    )  # fmt: skip
    emp = org.manager_emp
    emp.work_schedule = short
    emp.save(update_fields=["work_schedule"])
    record(org, dt.date(2026, 11, 2), T(8), dt.time(20, 30))  # 3.5 h: within 4 h
    record(org, dt.date(2026, 11, 3), T(8), T(21))  # 4 h: within
    record(org, dt.date(2026, 11, 7), T(6), T(20))  # Saturday: 13 h > 12 h
    record(org, dt.date(2026, 11, 14), T(7), T(20))  # Saturday: 12 h, within
    record(org, dt.date(2026, 11, 2), T(8), dt.time(17, 30), emp=emp)  # 3.5 h > 3 h
    record(org, dt.date(2026, 11, 3), T(8), T(17), emp=emp)  # 3 h: within
    out = sel.month_summaries(org.company, [org.staff_emp, emp], 2026, 11)
    assert out[org.staff_emp.pk]["caps"]["days_over_daily_cap"] == 1
    assert out[org.staff_emp.pk]["overtime"]["rest_day"] == D(25)
    assert out[emp.pk]["caps"]["days_over_daily_cap"] == 1
    assert out[emp.pk]["hours_per_day"] == D(6)
    assert [r["days_over_daily_cap"] for r in sel.overtime_report(org.company, 2026, 11)] == [
        1, 1,
    ]  # fmt: skip


@pytest.mark.django_db
def test_demo_attendance_fills_recent_days_without_duplicates(org):
    import random

    from backoffice.hr.demo_attendance import demo
    from backoffice.hr.models import Employee

    people = list(Employee.objects.filter(company=org.company))
    made = demo(company=org.company, employees=people, rng=random.Random(7))
    assert made > 0
    assert AttendanceRecord.objects.filter(company=org.company).count() == made
    assert not AttendanceRecord.objects.filter(company=org.company, worked_hours__gt=8).exists()
    # Run again: days already there are skipped (no duplicate day).
    again = demo(company=org.company, employees=people, rng=random.Random(8))
    assert AttendanceRecord.objects.filter(company=org.company).count() == made + again


@pytest.mark.django_db
def test_a_failed_import_job_lists_the_rows_and_stores_nothing(org, settings, tmp_path):
    from backoffice.core.jobs import job_run
    from backoffice.hr.services.attendance_import import attendance_import_enqueue

    settings.HOME = tmp_path
    lines = [f"{org.staff_emp.code},2026-11-{d:02d},08:00,17:00," for d in range(2, 21)]
    lines += [f"NV9999{i},2026-11-02,08:00,17:00," for i in range(12)]  # rows 21-32
    job = attendance_import_enqueue(actor=org.hr_officer, company=org.company,
                                    file_bytes=csv_bytes(*lines))  # fmt: skip
    from django.utils import translation

    with translation.override("en"):
        job = job_run(job_id=job.pk)
    assert job.status == "failed"
    assert "row 21: no employee with code NV99990" in job.error
    assert "row 32: no employee with code NV999911" in job.error  # beyond the first ten
    assert not AttendanceRecord.objects.filter(company=org.company).exists()


@pytest.mark.django_db
def test_api_self_service_records_own_day(org, api_token):
    import json

    from django.test import Client
    from django.utils import timezone

    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(org.staff, org.company)}")
    response = client.post("/api/v1/hr/attendance", json.dumps({
        "employee_id": str(org.staff_emp.public_id), "date": timezone.localdate().isoformat(),
        "check_in": "08:00"}), content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["source"] == "portal"
    assert response.json()["check_in"] == "08:00"
    response = client.post("/api/v1/hr/attendance", json.dumps({
        "employee_id": str(org.staff_emp.public_id), "date": "2026-11-02",
        "check_in": "08:00", "check_out": "17:00"}), content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    assert response.json()["code"] == "self_service_window"

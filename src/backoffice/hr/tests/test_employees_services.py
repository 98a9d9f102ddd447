"""Employee services: validation, encryption, audit of reveals, job history, portal account."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from backoffice.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent, Membership
from backoffice.hr import selectors
from backoffice.hr.models import Employee, JobChange
from backoffice.hr.selectors import employees as emp_sel
from backoffice.hr.services import employees as svc
from backoffice.hr.services import employees_family as fam

TAX = "8012345677"
TAX2 = "8123456781"


def _create(org, **kw):
    kw.setdefault("full_name", "Trần Thị Bình")
    kw.setdefault("hire_date", dt.date(2025, 3, 1))
    return svc.employee_create(actor=org.hr_officer, company=org.company, **kw)


@pytest.mark.django_db
def test_create_validates_normalises_and_encrypts(hr_org):
    emp = _create(
        hr_org, national_id="0792 0300 9999", tax_code=TAX, social_insurance_no="7912345000",
        bank_account="0071-000-999", current_province="Hồ Chí Minh", permanent_province="1",
        department=hr_org.sales, position=hr_org.dev, salary=Decimal("20000000"),
    )  # fmt: skip
    emp.refresh_from_db()
    assert emp.code.startswith("NV")
    assert len(emp.code) == 7
    assert (emp.national_id, emp.bank_account) == ("079203009999", "0071000999")
    assert (emp.current_province, emp.permanent_province) == ("79", "01")
    assert emp.national_id_index
    assert emp.national_id_index != emp.national_id
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM hr_employee WHERE id=%s", [emp.pk])
        dump = repr(cur.fetchall())
    assert "079203009999" not in dump
    assert TAX not in dump
    hire = JobChange.objects.get(employee=emp)
    assert (hire.kind, hire.effective_date, hire.salary) == ("hire", emp.hire_date, 20000000)
    event = AuditEvent.objects.get(event_type="EMPLOYEE_CREATED", object_id=str(emp.public_id))
    assert event.after["national_id"] == "set"
    assert "079203009999" not in repr(event.after)
    assert event.after["salary"] == "set"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("national_id", "12345678901", "bad_national_id"),
        ("national_id", "07920300123A", "bad_national_id"),
        ("tax_code", "8012345678", "bad_tax_code"),
        ("social_insurance_no", "123", "bad_insurance_no"),
        ("bank_account", "12", "bad_bank_account"),
        ("current_province", "Hà Tây", "bad_province"),
        ("current_province", "99", "bad_province"),
    ],
)
def test_create_refuses_bad_identifiers(hr_org, field, value, code):
    with pytest.raises(ValidationFailed) as err:
        _create(hr_org, **{field: value})
    assert err.value.code == code
    assert field in err.value.extra["fields"]


@pytest.mark.django_db
def test_duplicate_national_id_in_company_is_a_conflict_not_across_companies(hr_org):
    _create(hr_org, national_id="001099000111")
    with pytest.raises(Conflict) as err:
        _create(hr_org, full_name="Khác", national_id="001099000111")
    assert err.value.code == "national_id_exists"
    other = svc.employee_create(actor=hr_org.outsider_hr, company=hr_org.other_company,
                                full_name="B", hire_date=dt.date(2025, 1, 1),
                                national_id="001099000111")  # fmt: skip
    assert other.pk


@pytest.mark.django_db
def test_permissions_of_create_update(hr_org):
    for user in (hr_org.staff, hr_org.analyst, hr_org.payroll, hr_org.it_officer):
        with pytest.raises(PermissionDenied):
            _create(hr_org) if user is None else svc.employee_create(
                actor=user, company=hr_org.company, full_name="X", hire_date=dt.date(2025, 1, 1)
            )
    emp = _create(hr_org)
    with pytest.raises(PermissionDenied):
        svc.employee_update(actor=hr_org.payroll, company=hr_org.company, employee=emp, phone="1")
    with pytest.raises(NotFound):
        svc.employee_update(actor=hr_org.outsider_hr, company=hr_org.other_company,
                            employee=emp, phone="1")  # fmt: skip


@pytest.mark.django_db
def test_update_department_writes_a_transfer_and_refuses_a_reporting_loop(hr_org):
    emp = _create(hr_org, department=hr_org.sales)
    svc.employee_update(actor=hr_org.hr_officer, company=hr_org.company, employee=emp,
                        department=hr_org.it, phone="0901234567")  # fmt: skip
    kinds = list(JobChange.objects.filter(employee=emp).values_list("kind", "department"))
    assert kinds == [("hire", hr_org.sales.pk), ("transfer", hr_org.it.pk)]
    boss = hr_org.manager_emp
    svc.employee_update(actor=hr_org.hr_officer, company=hr_org.company, employee=emp,
                        manager=boss)  # fmt: skip
    with pytest.raises(ValidationFailed) as err:
        svc.employee_update(actor=hr_org.hr_officer, company=hr_org.company, employee=boss,
                            manager=emp)  # fmt: skip
    assert err.value.code == "manager_cycle"


@pytest.mark.django_db
def test_reveal_needs_permission_and_is_audited(hr_org):
    emp = hr_org.staff_emp
    value = svc.employee_reveal(actor=hr_org.hr_officer, company=hr_org.company, employee=emp,
                                field="national_id")  # fmt: skip
    assert value == "079203001234"
    ev = AuditEvent.objects.filter(event_type="EMPLOYEE_PII_REVEALED").latest("seq")
    assert ev.actor_id == hr_org.hr_officer.pk
    assert ev.after == {"field": "national_id", "own": False}
    assert "079203001234" not in repr(ev.after)
    for user in (hr_org.manager, hr_org.analyst, hr_org.it_officer):
        with pytest.raises(PermissionDenied):
            svc.employee_reveal(actor=user, company=hr_org.company, employee=emp,
                                field="tax_code")  # fmt: skip
    # The person reveals their own (portal), audited too.
    assert svc.employee_reveal(actor=hr_org.staff, company=hr_org.company, employee=emp,
                               field="bank_account") == "0071000123456"  # fmt: skip
    with pytest.raises(ValidationFailed):
        svc.employee_reveal(actor=hr_org.hr_officer, company=hr_org.company, employee=emp,
                            field="full_name")  # fmt: skip
    with pytest.raises(NotFound):
        svc.employee_reveal(actor=hr_org.outsider_hr, company=hr_org.other_company,
                            employee=emp, field="national_id")  # fmt: skip
    assert AuditEvent.objects.filter(event_type="EMPLOYEE_PII_REVEALED").count() == 2


@pytest.mark.django_db
def test_masked_rows(hr_org):
    row = emp_sel.employee_row(hr_org.staff_emp)
    assert row["national_id"] == "•••••••••234"
    assert row["bank_account"] == "••••••••••456"
    assert "salary" not in row


@pytest.mark.django_db
def test_job_change_salary_on_and_visibility(hr_org, monkeypatch):
    emp = hr_org.staff_emp
    monkeypatch.setattr(svc, "today", lambda: dt.date(2026, 6, 15))
    svc.job_change_record(actor=hr_org.hr_officer, company=hr_org.company, employee=emp,
                          kind="salary", effective_date=dt.date(2026, 1, 1),
                          salary=Decimal("18000000"))  # fmt: skip
    future = svc.job_change_record(
        actor=hr_org.hr_officer, company=hr_org.company, employee=emp, kind="transfer",
        effective_date=dt.date(2026, 9, 1), department=hr_org.it,
    )  # fmt: skip
    emp.refresh_from_db()
    assert emp.department == hr_org.sales  # not yet in force
    assert svc.salary_on(emp, dt.date(2025, 12, 31)) == 15000000
    assert svc.salary_on(emp, dt.date(2026, 1, 1)) == 18000000
    assert svc.salary_on(emp, dt.date(2023, 5, 31)) is None
    assert svc.job_changes_apply(company=hr_org.company, on=dt.date(2026, 9, 1)) == 1
    emp.refresh_from_db()
    assert emp.department == hr_org.it
    assert future.pk
    seen = {
        name: [r["salary"] for r in emp_sel.job_history(
            user=getattr(hr_org, name), company=hr_org.company, employee=emp)]
        for name in ("hr_manager", "payroll", "staff", "hr_officer")
    }  # fmt: skip
    assert seen["hr_manager"] == [None, 18000000, 15000000] == seen["staff"] == seen["payroll"]
    assert seen["hr_officer"] == [None, None, None]
    with pytest.raises(PermissionDenied):
        emp_sel.job_history(user=hr_org.manager, company=hr_org.company, employee=emp)
    with pytest.raises(ValidationFailed) as err:
        svc.job_change_record(actor=hr_org.hr_officer, company=hr_org.company, employee=emp,
                              kind="salary", effective_date=dt.date(2026, 1, 1))  # fmt: skip
    assert err.value.code == "salary_required"
    with pytest.raises(ValidationFailed):
        svc.job_change_record(actor=hr_org.hr_officer, company=hr_org.company, employee=emp,
                              kind="salary", effective_date=dt.date(2026, 1, 1),
                              salary=Decimal("100.5"))  # fmt: skip
    with pytest.raises(PermissionDenied):
        svc.job_change_record(actor=hr_org.payroll, company=hr_org.company, employee=emp,
                              kind="salary", effective_date=dt.date(2026, 1, 1),
                              salary=Decimal("1"))  # fmt: skip


@pytest.mark.django_db(transaction=False)
def test_portal_account(hr_org, django_capture_on_commit_callbacks, mailoutbox):
    emp = _create(hr_org, email="Binh@A.vn", department=hr_org.sales)
    with django_capture_on_commit_callbacks(execute=True):
        user = svc.portal_account_create(actor=hr_org.hr_officer, company=hr_org.company,
                                         employee=emp)  # fmt: skip
    assert user.email == "binh@a.vn"
    assert not user.has_usable_password()
    assert not user.is_staff
    m = Membership.objects.get(user=user, company=hr_org.company)
    assert (m.role, m.department) == ("employee", hr_org.sales)
    assert len(mailoutbox) == 1
    assert "http://127.0.0.1:8000/portal/password/set/" in mailoutbox[0].body
    assert mailoutbox[0].to == ["binh@a.vn"]
    assert selectors.employee_for_user(user=user, company=hr_org.company) == emp
    with pytest.raises(Conflict):
        svc.portal_account_create(actor=hr_org.hr_officer, company=hr_org.company, employee=emp)
    collab = _create(hr_org, full_name="CTV", kind="collaborator", email="ctv@a.vn")
    assert collab.code.startswith("CTV")
    u2 = svc.portal_account_create(actor=hr_org.hr_officer, company=hr_org.company,
                                   employee=collab, password="Mot-Hai-Ba-2026!")  # fmt: skip
    assert u2.check_password("Mot-Hai-Ba-2026!")
    assert Membership.objects.get(user=u2).role == "collaborator"
    nomail = _create(hr_org, full_name="No mail")
    with pytest.raises(ValidationFailed):
        svc.portal_account_create(actor=hr_org.hr_officer, company=hr_org.company,
                                  employee=nomail)  # fmt: skip


@pytest.mark.django_db
def test_self_update_only_allowed_fields(hr_org):
    emp = hr_org.staff_emp
    svc.employee_self_update(actor=hr_org.staff, company=hr_org.company, employee=emp,
                             phone="0912000111", current_province="Đà Nẵng")  # fmt: skip
    emp.refresh_from_db()
    assert (emp.phone, emp.current_province) == ("0912000111", "48")
    with pytest.raises(PermissionDenied):
        svc.employee_self_update(actor=hr_org.staff, company=hr_org.company, employee=emp,
                                 full_name="X")  # fmt: skip
    with pytest.raises(PermissionDenied):
        svc.employee_self_update(actor=hr_org.manager, company=hr_org.company, employee=emp,
                                 phone="1")  # fmt: skip


@pytest.mark.django_db
def test_family_records(hr_org):
    emp = hr_org.staff_emp
    dep = fam.dependant_create(
        actor=hr_org.hr_officer,
        company=hr_org.company,
        employee=emp,
        full_name="Con",
        relationship="con",
        national_id="001220000001",
        registered_from=dt.date(2024, 1, 1),
    )
    assert Employee.objects.get(pk=emp.pk).dependants.get().national_id == "001220000001"
    with pytest.raises(ValidationFailed):
        fam.dependant_update(actor=hr_org.hr_officer, company=hr_org.company, dependant=dep,
                             registered_to=dt.date(2023, 1, 1))  # fmt: skip
    with pytest.raises(PermissionDenied):
        fam.dependant_create(actor=hr_org.staff, company=hr_org.company, employee=emp,
                             full_name="X", relationship="x",
                             registered_from=dt.date(2024, 1, 1))  # fmt: skip
    # The person manages their own emergency contacts; a colleague may not.
    c = fam.emergency_contact_create(
        actor=hr_org.staff,
        company=hr_org.company,
        employee=emp,
        full_name="Mẹ",
        relationship="mẹ",
        phone="0909",
    )
    with pytest.raises(PermissionDenied):
        fam.emergency_contact_delete(actor=hr_org.manager, company=hr_org.company, contact=c)
    fam.emergency_contact_delete(actor=hr_org.staff, company=hr_org.company, contact=c)
    ed = fam.education_create(
        actor=hr_org.hr_officer,
        company=hr_org.company,
        employee=emp,
        institution="ĐH Kinh tế",
        degree="Cử nhân",
        graduation_year=2020,
    )
    with pytest.raises(NotFound):
        fam.education_delete(actor=hr_org.outsider_hr, company=hr_org.other_company,
                             education=ed)  # fmt: skip
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"DEPENDANT_ADDED", "EMERGENCY_CONTACT_ADDED", "EMERGENCY_CONTACT_REMOVED",
            "EDUCATION_ADDED"} <= events  # fmt: skip
    dep_event = AuditEvent.objects.get(event_type="DEPENDANT_ADDED")
    assert "001220000001" not in repr(dep_event.after)

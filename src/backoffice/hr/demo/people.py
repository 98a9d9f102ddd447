"""Demo people: a person record for every demo account and every ``nvNNNNN`` portal
user of the demo company, with Vietnamese identifiers (valid check digits), provinces,
bank accounts, hire dates, salaries in the job history, dependants and emergency
contacts. Bulk inserts (identifiers encrypted in Python by the fields), so
``backoffice demo --employees 10000`` stays fast. Then each HR area's demo runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.utils import timezone

from backoffice.core.fields import blind_index
from backoffice.core.models import Company, Department, Membership, Position, User
from backoffice.hr.enums import EmployeeStatus, Gender, JobChangeKind
from backoffice.hr.models import Dependant, EmergencyContact, Employee, JobChange
from backoffice.hr.services.employees_validation import province_choices

log = logging.getLogger("backoffice.demo")

AREAS = ("demo_contracts", "demo_leave", "demo_attendance", "demo_onboarding")
BANKS = ["Vietcombank", "VietinBank", "BIDV", "Agribank", "Techcombank", "MB Bank", "ACB",
         "VPBank", "Sacombank", "TPBank"]  # fmt: skip
# Old (pre-2025) province codes used in CCCD numbers (Circular 07/2016/TT-BCA).
CCCD_PROVINCES = ["001", "031", "034", "036", "038", "040", "048", "052", "079", "092", "075"]
# Desk accounts: (e-mail local part, department code, position code)
DESK_PEOPLE = {
    "dieuhanh": ("BGD", "GD"), "admin": ("CNTT", "KSCNTT"), "ketoan": ("KT", "KTV"),
    "ketoantruong": ("KT", "KTT"), "nhansu": ("NS", "CVNS"), "truongphongns": ("NS", "TPNS"),
    "tienluong": ("NS", "CVTL"), "cntt": ("CNTT", "KSCNTT"), "phantich": ("KD", None),
    "tuanthu": ("PC", "CVPC"), "ruiro": ("PC", None),
}  # fmt: skip
SALARY_BANDS = {"GD": (60, 90), "KTT": (35, 50), "TPNS": (30, 45)}


def personal_tax_code(rng: Any) -> str:
    """A valid 10-digit personal tax code (starts with 8, MST check digit)."""
    from stdnum.vn import mst

    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    while True:
        body = f"8{rng.randrange(10**7, 10**8)}"
        check = (10 - sum(w * int(d) for w, d in zip(weights, body, strict=True)) % 11) % 10
        if check < 10 and mst.is_valid(f"{body}{check}"):
            return f"{body}{check}"


def cccd(rng: Any, born: dt.date, female: bool, serial: int) -> str:
    century = (0 if born.year < 2000 else 2) + (1 if female else 0)
    return f"{rng.choice(CCCD_PROVINCES)}{century}{born.year % 100:02d}{serial % 10**6:06d}"


def _round(amount: float) -> Decimal:
    return Decimal(int(amount // 100_000) * 100_000)


def demo_step(*, company: Company, rng: Any, fake: Any, **context: Any) -> None:
    from backoffice.core.demo import DEMO_CODE, DEMO_DOMAIN

    if company.code != DEMO_CODE or Employee.objects.filter(company=company).exists():
        return
    started = time.monotonic()
    today = timezone.localdate()
    depts = {d.code: d for d in Department.objects.filter(company=company)}
    positions = {p.code: p for p in Position.objects.filter(company=company)}
    by_dept: dict[int, list[Position]] = {}
    for p in positions.values():
        if p.department_id:
            by_dept.setdefault(p.department_id, []).append(p)
    members = {
        m.user_id: m.department_id
        for m in Membership.objects.filter(company=company, is_active=True).order_by("id")
    }
    users = list(
        User.objects.filter(email__endswith="@" + DEMO_DOMAIN, pk__in=members).order_by("email")
    )
    provinces = [c for c, _n in province_choices()]
    addresses = [fake.street_address() for _i in range(min(len(members), 300) or 1)]
    people: list[Employee] = []
    salaries: list[Decimal] = []
    for i, user in enumerate(users, start=1):
        local = user.email.split("@")[0]
        dept_code, pos_code = DESK_PEOPLE.get(local, (None, None))
        dept = depts.get(dept_code) if dept_code else None
        if dept is None and members.get(user.pk):
            dept = next((d for d in depts.values() if d.pk == members[user.pk]), None)
        pos = positions.get(pos_code) if pos_code else None
        if pos is None and dept is not None:
            staff = [p for p in by_dept.get(dept.pk, []) if p.level != "manager"]
            pos = rng.choice(staff) if staff else None
        female = " Thị " in f" {user.full_name} " or rng.random() < 0.45
        born = dt.date(rng.randint(1968, 2003), rng.randint(1, 12), rng.randint(1, 28))
        hired = today - dt.timedelta(days=rng.randint(30, 365 * 12))
        hired = max(hired, dt.date(born.year + 18, born.month, born.day))
        left = local.startswith("nv") and rng.random() < 0.04
        province = rng.choice(provinces)
        nid = cccd(rng, born, female, i)
        code = f"NV{i:05d}"
        people.append(Employee(
            company=company, code=code, user=user, full_name=user.full_name,
            date_of_birth=born, gender=Gender.FEMALE if female else Gender.MALE,
            email=user.email, phone=f"09{rng.randrange(10**7, 10**8)}",
            permanent_address=rng.choice(addresses), permanent_province=province,
            current_address=rng.choice(addresses),
            current_province=province if rng.random() < 0.7 else rng.choice(provinces),
            national_id=nid, national_id_index=blind_index(nid, purpose="hr.national_id"),
            tax_code=personal_tax_code(rng),
            social_insurance_no=f"{rng.randrange(10**9, 10**10)}",
            bank_account=f"{rng.randrange(10**12, 10**13)}", bank_name=rng.choice(BANKS),
            department=dept, position=pos, hire_date=hired,
            status=EmployeeStatus.LEFT if left else EmployeeStatus.ACTIVE,
            termination_date=(today - dt.timedelta(days=rng.randint(1, 300))) if left else None,
            termination_reason="Nghỉ việc theo nguyện vọng" if left else "",
            wage_region=1,
        ))  # fmt: skip
        low, high = SALARY_BANDS.get(pos_code or "", (9, 30))
        salaries.append(_round(rng.uniform(low, high) * 1_000_000))
    for p in people:  # a leaver's last day is after their start
        if p.termination_date and p.termination_date <= p.hire_date:
            p.termination_date = p.hire_date + dt.timedelta(days=90)
    people = Employee.objects.bulk_create(people, batch_size=1000)
    if not people or people[0].pk is None:
        people = list(Employee.objects.filter(company=company).order_by("code"))
    _history(company, people, salaries, rng, today)
    _family(company, people, rng, [fake.name() for _i in range(300)])
    _reporting_lines(company, people, depts)
    log.info("hr demo: %d people in %.1f s", len(people), time.monotonic() - started)
    for name in AREAS:
        try:
            module = import_module(f"backoffice.hr.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"backoffice.hr.{name}":
                raise
            continue
        began = time.monotonic()
        module.demo(company=company, employees=people, rng=rng, fake=fake)
        log.info("hr demo: %s in %.1f s", name, time.monotonic() - began)


def _history(company: Company, people: list[Employee], salaries: list[Decimal], rng: Any,
             today: dt.date) -> None:  # fmt: skip
    rows = []
    for emp, salary in zip(people, salaries, strict=True):
        years = (today - emp.hire_date).days // 365
        raises = list(range(max(1, years - 2), years + 1))  # the last three yearly raises
        start_salary = _round(float(salary) / (1.07 ** len(raises)))
        rows.append(JobChange(company=company, employee=emp, kind=JobChangeKind.HIRE,
                              effective_date=emp.hire_date, department=emp.department,
                              position=emp.position, salary=start_salary))  # fmt: skip
        for k, y in enumerate(raises, start=1):
            on = dt.date(emp.hire_date.year + y, 1, 1)
            if on > today or (emp.termination_date and on > emp.termination_date):
                break
            rows.append(JobChange(company=company, employee=emp, kind=JobChangeKind.SALARY,
                                  effective_date=on, department=emp.department,
                                  position=emp.position,
                                  salary=_round(float(start_salary) * 1.07**k),
                                  note="Điều chỉnh lương hằng năm"))  # fmt: skip
        if emp.termination_date:
            rows.append(JobChange(company=company, employee=emp, kind=JobChangeKind.TERMINATION,
                                  effective_date=emp.termination_date, department=emp.department,
                                  position=emp.position, note=emp.termination_reason))  # fmt: skip
    JobChange.objects.bulk_create(rows, batch_size=2000)


def _family(company: Company, people: list[Employee], rng: Any, names: list[str]) -> None:
    deps, contacts = [], []
    for emp in people:
        if rng.random() < 0.3 and emp.date_of_birth and emp.date_of_birth.year < 1995:
            for _k in range(rng.randint(1, 2)):
                born = dt.date(rng.randint(2008, 2023), rng.randint(1, 12), rng.randint(1, 28))
                deps.append(Dependant(
                    company=company, employee=emp, full_name=rng.choice(names), relationship="Con",
                    date_of_birth=born, registered_from=max(born, emp.hire_date),
                ))  # fmt: skip
        if rng.random() < 0.6:
            contacts.append(EmergencyContact(
                company=company, employee=emp, full_name=rng.choice(names),
                relationship=rng.choice(["Vợ", "Chồng", "Bố", "Mẹ", "Anh", "Chị"]),
                phone=f"09{rng.randrange(10**7, 10**8)}",
            ))  # fmt: skip
    Dependant.objects.bulk_create(deps, batch_size=2000)
    EmergencyContact.objects.bulk_create(contacts, batch_size=2000)


def _reporting_lines(company: Company, people: list[Employee], depts: dict) -> None:
    """A manager for every department (its first active person when none is set), and
    everyone reports to their department's manager; department heads to the director."""
    by_user = {e.user_id: e for e in people if e.user_id}
    in_dept: dict[int, list[Employee]] = {}
    for e in people:
        if e.department_id and e.status == EmployeeStatus.ACTIVE:
            in_dept.setdefault(e.department_id, []).append(e)
    heads: dict[int, Employee] = {}
    for dept in Department.objects.filter(company=company):
        head = by_user.get(dept.manager_id) if dept.manager_id else None
        if head is None and in_dept.get(dept.pk):
            head = in_dept[dept.pk][0]
            Department.objects.filter(pk=dept.pk).update(manager_id=head.user_id)
        if head is not None:
            heads[dept.pk] = head
    root = heads.get(depts["BGD"].pk) if "BGD" in depts else None
    reports: dict[int, list[int]] = {}
    for e in people:
        head = heads.get(e.department_id)
        boss = head if head is not None and head.pk != e.pk else root
        if boss is not None and boss.pk != e.pk:
            e.manager = boss
            reports.setdefault(boss.pk, []).append(e.pk)
    for boss_pk, ids in reports.items():  # one UPDATE per manager
        for i in range(0, len(ids), 900):
            Employee.objects.filter(pk__in=ids[i : i + 900]).update(manager_id=boss_pk)

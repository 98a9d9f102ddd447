"""The HR demo people: valid identifiers, history, reporting lines, other areas called."""

import random

import pytest

from backoffice.core.enums import Role


@pytest.mark.django_db
def test_demo_people(make_company, make_user, monkeypatch):
    from faker import Faker
    from stdnum.vn import mst

    from backoffice.core.demo import DEMO_DOMAIN
    from backoffice.core.models import Department, Membership, Position
    from backoffice.hr.demo import people
    from backoffice.hr.models import Employee, JobChange
    from backoffice.hr.services.employees_validation import province_choices

    company = make_company("DEMO", name="Demo")
    root = Department.objects.create(company=company, code="BGD", name="Ban Giám đốc")
    sales = Department.objects.create(company=company, code="KD", name="Kinh doanh", parent=root)
    Position.objects.create(company=company, code="NVKD", name="NVKD", department=sales,
                            level="staff")  # fmt: skip
    boss = make_user(company, roles=[Role.OPERATIONS_MANAGER], email=f"dieuhanh@{DEMO_DOMAIN}")
    Membership.objects.filter(user=boss).update(department=root)
    for i in range(1, 41):
        u = make_user(company, roles=[Role.EMPLOYEE], email=f"nv{i:05d}@{DEMO_DOMAIN}")
        Membership.objects.filter(user=u).update(department=sales)
    called = []
    monkeypatch.setattr(people, "AREAS", ("demo_fake_area",))
    monkeypatch.setattr(people, "import_module",
                        lambda name: type("M", (), {"demo": staticmethod(
                            lambda **kw: called.append(len(kw["employees"])))}))  # fmt: skip
    fake = Faker("vi_VN")
    fake.seed_instance(1)
    people.demo_step(company=company, rng=random.Random(1), fake=fake)
    emps = list(Employee.objects.filter(company=company))
    assert len(emps) == 41
    assert called == [41]
    provinces = {c for c, _n in province_choices()}
    ids = set()
    for e in emps:
        assert mst.is_valid(e.tax_code)
        assert len(e.national_id) == 12
        assert e.current_province in provinces
        assert e.bank_name
        ids.add(e.national_id)
        assert JobChange.objects.filter(employee=e, kind="hire", salary__isnull=False).exists()
    assert len(ids) == 41
    sales.refresh_from_db()
    assert sales.manager_id is not None  # a head was chosen for the department
    head = Employee.objects.get(company=company, user_id=sales.manager_id)
    assert Employee.objects.filter(company=company, manager=head).count() >= 30
    # Running again changes nothing (the company already has people).
    people.demo_step(company=company, rng=random.Random(2), fake=fake)
    assert Employee.objects.filter(company=company).count() == 41

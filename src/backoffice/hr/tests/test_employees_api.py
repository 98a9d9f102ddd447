"""Employees API: masked identifiers, audited reveal, salaries for salary roles only,
scoping by company and permission."""

import pytest
from django.test import Client

from backoffice.core.fields import blind_index
from backoffice.core.models import AuditEvent
from backoffice.hr.models import Employee

BASE = "/api/v1/hr"


@pytest.fixture
def api(api_token, hr_org):
    def client_for(user, company=None):
        raw = api_token(user, company or hr_org.company)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return client_for


@pytest.mark.django_db
def test_list_masked_and_scoped(hr_org, api):
    data = api(hr_org.hr_officer).get(f"{BASE}/employees").json()
    assert data["count"] == 3
    lan = next(r for r in data["items"] if r["full_name"] == "Nguyễn Thị Lan")
    assert lan["national_id"] == "•••••••••234"
    assert lan["bank_account"].endswith("456")
    assert "079203001234" not in str(data)
    assert "salary" not in lan
    other = api(hr_org.outsider_hr, hr_org.other_company).get(f"{BASE}/employees").json()
    assert other["count"] == 0
    assert api(hr_org.manager).get(f"{BASE}/employees").status_code == 403
    assert api(hr_org.analyst).get(f"{BASE}/employees").status_code == 403
    filtered = api(hr_org.hr_officer).get(
        f"{BASE}/employees", {"department_id": str(hr_org.it.public_id)}).json()  # fmt: skip
    assert [r["full_name"] for r in filtered["items"]] == ["Võ Quản Lý"]
    # The fixture writes the row directly; the services keep the index (blind_index).
    Employee.objects.filter(pk=hr_org.staff_emp.pk).update(
        national_id_index=blind_index("079203001234", purpose="hr.national_id")
    )
    found = api(hr_org.hr_officer).get(f"{BASE}/employees", {"q": "079203001234"}).json()
    assert [r["full_name"] for r in found["items"]] == ["Nguyễn Thị Lan"]


@pytest.mark.django_db
def test_list_shapes_only_the_page(hr_org, api, monkeypatch, django_assert_max_num_queries):
    from backoffice.hr.selectors import employees as sel

    shaped = []
    real = sel.employee_row
    monkeypatch.setattr(sel, "employee_row", lambda e: shaped.append(e) or real(e))
    client = api(hr_org.hr_officer)
    with django_assert_max_num_queries(12):
        data = client.get(f"{BASE}/employees", {"page_size": 1, "page": 2}).json()
    assert data["count"] == 3
    assert len(data["items"]) == 1 == len(shaped)


@pytest.mark.django_db
def test_detail_salary_for_salary_roles_and_self(hr_org, api):
    url = f"{BASE}/employees/{hr_org.staff_emp.public_id}"
    assert api(hr_org.hr_manager).get(url).json()["salary"] == "15000000"
    assert api(hr_org.payroll).get(url).json()["salary"] == "15000000"
    assert api(hr_org.hr_officer).get(url).json()["salary"] is None
    assert api(hr_org.outsider_hr, hr_org.other_company).get(url).status_code == 404
    history = api(hr_org.hr_officer).get(url + "/job-history").json()
    assert [h["salary"] for h in history] == [None]
    assert [h["salary"] for h in api(hr_org.hr_manager).get(url + "/job-history").json()] == [
        "15000000"
    ]


@pytest.mark.django_db
def test_create_update_and_reveal(hr_org, api):
    client = api(hr_org.hr_officer)
    response = client.post(f"{BASE}/employees", {
        "full_name": "Lý Thị Mới", "hire_date": "2026-03-01", "national_id": "001300000001",
        "tax_code": "8456789018", "current_province": "01", "salary": 11000000,
        "department_id": str(hr_org.sales.public_id),
    }, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["national_id"] == "•••••••••001"
    assert body["salary"] is None
    assert body["department_code"] == "KD"
    emp_url = f"{BASE}/employees/{body['id']}"
    bad = client.post(
        f"{BASE}/employees",
        {"full_name": "X", "hire_date": "2026-03-01", "tax_code": "123"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "bad_tax_code"
    dup = client.post(f"{BASE}/employees", {"full_name": "Y", "hire_date": "2026-03-01",
                                            "national_id": "001300000001"},
                      content_type="application/json")  # fmt: skip
    assert dup.status_code == 409
    assert dup.json()["code"] == "national_id_exists"
    patched = client.patch(emp_url, {"phone": "0988777666"}, content_type="application/json")
    assert patched.status_code == 200
    assert patched.json()["phone"] == "0988777666"
    revealed = client.post(emp_url + "/reveal", {"field": "national_id"},
                           content_type="application/json")  # fmt: skip
    assert revealed.json() == {"field": "national_id", "value": "001300000001"}
    assert AuditEvent.objects.filter(event_type="EMPLOYEE_PII_REVEALED").count() == 1
    assert (
        api(hr_org.analyst)
        .post(emp_url + "/reveal", {"field": "national_id"}, content_type="application/json")
        .status_code
        == 403
    )
    assert api(hr_org.outsider_hr, hr_org.other_company).post(
        emp_url + "/reveal", {"field": "national_id"}, content_type="application/json"
    ).status_code == 404  # fmt: skip
    assert (
        api(hr_org.payroll)
        .post(
            f"{BASE}/employees",
            {"full_name": "Z", "hire_date": "2026-03-01"},
            content_type="application/json",
        )
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_job_changes_and_dependants(hr_org, api):
    client = api(hr_org.hr_officer)
    url = f"{BASE}/employees/{hr_org.staff_emp.public_id}"
    change = client.post(url + "/job-changes", {"kind": "salary", "effective_date": "2026-01-01",
                                                "salary": 17000000},
                         content_type="application/json")  # fmt: skip
    assert change.status_code == 201
    assert change.json()["salary"] is None
    dep = client.post(url + "/dependants", {"full_name": "Bé Bi", "relationship": "con",
                                            "registered_from": "2024-01-01",
                                            "national_id": "001224000001"},
                      content_type="application/json")  # fmt: skip
    assert dep.status_code == 201
    assert dep.json()["national_id"] == "•••••••••001"
    listed = client.get(url + "/dependants").json()
    assert [d["full_name"] for d in listed] == ["Bé Bi"]
    other = api(hr_org.outsider_hr, hr_org.other_company)
    assert other.get(url + "/dependants").status_code == 404
    assert other.delete(f"{url}/dependants/{dep.json()['id']}").status_code == 404
    assert client.delete(f"{url}/dependants/{dep.json()['id']}").status_code == 204
    assert not Employee.objects.get(pk=hr_org.staff_emp.pk).dependants.exists()


@pytest.mark.django_db
def test_headcount_api(hr_org, api):
    rows = api(hr_org.analyst).get(f"{BASE}/reports/headcount",
                                   {"on": "2026-01-01", "by": "department"}).json()  # fmt: skip
    assert {r["label"] if r["key"] else "total": r["count"] for r in rows} == {
        "Phòng CNTT": 1, "Phòng Kinh doanh": 2, "total": 3}  # fmt: skip
    assert api(hr_org.staff).get(f"{BASE}/reports/headcount").status_code == 403


@pytest.mark.django_db
def test_another_departments_manager_sees_no_salary(hr_org, api):
    url = f"{BASE}/employees/{hr_org.staff_emp.public_id}"
    for user in (hr_org.other_manager, hr_org.manager):
        client = api(user)
        assert client.get(url).status_code == 403
        assert client.get(url + "/job-history").status_code == 403
    # The person sees their own salary only through the portal; the HR API needs HR roles.

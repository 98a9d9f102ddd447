"""Who may see, list, search and download a document (desk, API, direct URL)."""

from __future__ import annotations

import pytest
from django.test import Client

from backoffice.core.enums import Classification, Role
from backoffice.core.exceptions import NotFound
from backoffice.core.models import Department
from backoffice.records import selectors
from backoffice.records.tests.helpers import attach, person

pytestmark = pytest.mark.django_db

SECRET_WORDS = "Bảng lương tháng mười hai bí mật"


@pytest.fixture
def world(make_company, make_user):
    a = make_company("ACO")
    b = make_company("BCO")
    hr = Department.objects.create(company=a, code="NS", name="Nhân sự")
    kt = Department.objects.create(company=a, code="KT", name="Kế toán")
    w = {
        "a": a,
        "b": b,
        "hr_manager": person(make_user, a, Role.HR_MANAGER, hr, email="hrm@x.vn"),
        "hr_officer": person(make_user, a, Role.HR_OFFICER, hr, email="hro@x.vn"),
        "accountant": person(make_user, a, Role.ACCOUNTANT, kt, email="acc@x.vn"),
        "chief_kt": person(make_user, a, Role.CHIEF_ACCOUNTANT, kt, email="cka@x.vn"),
        "it": person(make_user, a, Role.IT_OFFICER, email="it@x.vn"),
        "compliance": person(make_user, a, Role.COMPLIANCE_OFFICER, email="co@x.vn"),
        "employee": person(make_user, a, Role.EMPLOYEE, email="emp@x.vn"),
        "b_admin": person(make_user, b, Role.COMPLIANCE_OFFICER, email="bco@x.vn"),
    }
    up = w["hr_manager"]
    w["public"] = attach(up, a, "p.txt", "Thông báo chung", classification=Classification.PUBLIC)
    w["internal"] = attach(up, a, "i.txt", "Biên bản nội bộ")
    w["confidential"] = attach(up, a, "c.txt", "Hợp đồng lao động mật",
                               classification=Classification.CONFIDENTIAL, department=hr)  # fmt: skip
    w["secret"] = attach(up, a, "s.txt", SECRET_WORDS, classification=Classification.SECRET,
                         department=hr)  # fmt: skip
    return w


def titles(user, company):
    return {d.title for d in selectors.visible_documents(user=user, company=company)}


def test_the_access_rule_by_role_department_and_classification(world):
    w = world
    everyone = {"p.txt", "i.txt"}
    assert titles(w["hr_manager"], w["a"]) == everyone | {"c.txt", "s.txt"}
    assert titles(w["hr_officer"], w["a"]) == everyone | {"c.txt"}  # no secret clearance
    # Confidential clearance, but another department.
    assert titles(w["accountant"], w["a"]) == everyone
    assert titles(w["chief_kt"], w["a"]) == everyone
    assert titles(w["it"], w["a"]) == everyone
    # Clearance over all departments.
    assert titles(w["compliance"], w["a"]) == everyone | {"c.txt", "s.txt"}
    # No records permission at all: nothing (not even public).
    assert titles(w["employee"], w["a"]) == set()
    # Another company sees nothing of A, whatever its clearance.
    assert titles(w["b_admin"], w["a"]) == set()
    assert titles(w["b_admin"], w["b"]) == set()


def test_the_uploader_always_sees_their_own_documents(world, make_user):
    w = world
    employee = w["employee"]
    mine = attach(employee, w["a"], "receipt.txt", "Hóa đơn taxi",
                  classification=Classification.SECRET, owner=w["a"])  # fmt: skip
    assert titles(employee, w["a"]) == {"receipt.txt"}
    _doc, _ver, data = selectors.document_open(
        user=employee, company=w["a"], public_id=mine.public_id
    )
    assert data == "Hóa đơn taxi".encode()


def test_document_open_refuses_the_wrong_role_and_the_other_company(world):
    w = world
    for user, company in ((w["hr_officer"], w["a"]), (w["b_admin"], w["b"]),
                          (w["accountant"], w["a"])):  # fmt: skip
        with pytest.raises(NotFound):
            selectors.document_open(user=user, company=company, public_id=w["secret"].public_id)
    _doc, _ver, data = selectors.document_open(
        user=w["hr_manager"], company=w["a"], public_id=w["secret"].public_id
    )
    assert data.decode() == SECRET_WORDS


def test_search_applies_the_access_rule(world):
    w = world
    q = "bang luong"
    assert not selectors.document_search(user=w["hr_officer"], company=w["a"], query=q).exists()
    assert not selectors.document_search(user=w["b_admin"], company=w["b"], query=q).exists()
    found = selectors.document_search(user=w["hr_manager"], company=w["a"], query=q)
    assert [d.title for d in found] == ["s.txt"]


def _download_url(doc, version=None):
    url = f"/desk/files/documents/{doc.public_id}/download/"
    return url + (f"?version={version}" if version else "")


def test_desk_download_direct_url(world, desk_login):
    w = world
    url = _download_url(w["secret"])
    officer = desk_login(Client(), w["hr_officer"], w["a"])
    assert officer.get(url).status_code == 404
    other = desk_login(Client(), w["b_admin"], w["b"])
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # anonymous: to the login page
    manager = desk_login(Client(), w["hr_manager"], w["a"])
    response = manager.get(url)
    assert response.status_code == 200
    assert response.content.decode() == SECRET_WORDS
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "text/html" not in response["Content-Type"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_desk_list_and_detail_hide_what_the_role_may_not_see(world, desk_login):
    w = world
    officer = desk_login(Client(), w["hr_officer"], w["a"])
    page = officer.get("/desk/records/document/").content.decode()
    assert "c.txt" in page
    assert "s.txt" not in page
    detail = officer.get(f"/desk/records/document/{w['secret'].pk}/change/")
    assert detail.status_code == 302  # the desk's "does not exist" redirect
    assert "s.txt" not in officer.get(detail["Location"]).content.decode()
    searched = officer.get("/desk/records/document/?q=bang+luong").content.decode()
    assert "s.txt" not in searched
    other = desk_login(Client(), w["b_admin"], w["b"])
    page = other.get("/desk/records/document/").content.decode()
    assert "p.txt" not in page
    assert "s.txt" not in page
    manager = desk_login(Client(), w["hr_manager"], w["a"])
    found = manager.get("/desk/records/document/?q=bang+luong").content.decode()
    assert "s.txt" in found
    assert "p.txt" not in found


def test_desk_csv_export_follows_the_access_rule(world, desk_login):
    from django.contrib.admin import AdminSite
    from import_export.formats.base_formats import CSV

    from backoffice.records.admin import DocumentAdmin
    from backoffice.records.models import Document

    w = world
    fmt = next(i for i, f in enumerate(DocumentAdmin(Document, AdminSite()).get_export_formats())
               if f is CSV)  # fmt: skip
    officer = desk_login(Client(), w["hr_officer"], w["a"])
    body = officer.post("/desk/records/document/export/",
                        {"format": str(fmt), "resource": "0"}).content.decode()  # fmt: skip
    assert str(w["confidential"].public_id) in body
    assert str(w["secret"].public_id) not in body
    other = desk_login(Client(), w["b_admin"], w["b"])
    body = other.post("/desk/records/document/export/",
                      {"format": str(fmt), "resource": "0"}).content.decode()  # fmt: skip
    assert str(w["public"].public_id) not in body


def test_api_refuses_the_wrong_role_and_the_other_company(world, api_token):
    w = world
    doc = w["secret"]

    def get(user, company, path):
        token = api_token(user, company)
        return Client().get(f"/api/v1/records{path}", HTTP_AUTHORIZATION=f"Bearer {token}")

    for user, company in ((w["hr_officer"], w["a"]), (w["b_admin"], w["b"])):
        assert get(user, company, f"/documents/{doc.public_id}").status_code == 404
        response = get(user, company, f"/documents/{doc.public_id}/download")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        listed = get(user, company, "/documents").json()["items"]
        assert str(doc.public_id) not in {d["id"] for d in listed}
        searched = get(user, company, "/documents?q=bang%20luong").json()
        assert searched["count"] == 0
    response = get(w["hr_manager"], w["a"], f"/documents/{doc.public_id}/download")
    assert response.status_code == 200
    assert response.content.decode() == SECRET_WORDS
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert get(w["employee"], w["a"], "/documents").json()["count"] == 0

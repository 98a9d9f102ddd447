"""The records API: upload, new version, list/search/filter, errors in the shared shape."""

from __future__ import annotations

import pytest
from django.test import Client

from backoffice.core.enums import Classification, Role
from backoffice.core.models import Department
from backoffice.records.models import Document
from backoffice.records.tests.conftest import PNG, pdf_bytes, stored_files, upload
from backoffice.records.tests.helpers import attach, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(company_a, make_user, api_token):
    officer = person(make_user, company_a, Role.COMPLIANCE_OFFICER)
    token = api_token(officer, company_a)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    return officer, client


def test_upload_then_new_version_then_download(api, company_a):
    _officer, client = api
    dept = Department.objects.create(company=company_a, code="KT", name="Kế toán")
    response = client.post("/api/v1/records/documents", {
        "file": upload("hop-dong.pdf", pdf_bytes("Hợp đồng dịch vụ")),
        "title": "Hợp đồng dịch vụ", "classification": "confidential",
        "tags": "hợp đồng, 2026", "department_id": str(dept.public_id),
    })  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["classification"] == "confidential"
    assert body["version"] == 1
    assert body["tags"] == ["hợp đồng", "2026"]
    assert body["department_id"] == str(dept.public_id)
    assert body["versions"][0]["encrypted"] is True
    doc_id = body["id"]
    response = client.post(f"/api/v1/records/documents/{doc_id}/versions",
                           {"file": upload("hop-dong-v2.pdf", pdf_bytes("Phụ lục"))})  # fmt: skip
    assert response.status_code == 201
    assert response.json()["number"] == 2
    detail = client.get(f"/api/v1/records/documents/{doc_id}").json()
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    v1 = client.get(f"/api/v1/records/documents/{doc_id}/download?version=1")
    assert v1.status_code == 200
    assert v1.content.startswith(b"%PDF")
    assert v1["Content-Type"] == "application/pdf"
    found = client.get("/api/v1/records/documents?q=phu%20luc").json()
    assert [d["id"] for d in found["items"]] == [doc_id]


def test_refused_upload_uses_the_error_shape_and_stores_nothing(api, records_home):
    _officer, client = api
    response = client.post("/api/v1/records/documents",
                           {"file": upload("anh.pdf", PNG), "title": "x"})  # fmt: skip
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "upload_refused"
    assert body["extra"]["reason"] == "content_mismatch"
    assert body["message"]
    assert Document.objects.count() == 0
    assert stored_files(records_home) == []


def test_list_filters(api, company_a):
    officer, client = api
    attach(officer, company_a, "a.txt", "a", classification=Classification.SECRET, tags=["x"],
           doc_type="payroll")  # fmt: skip
    attach(officer, company_a, "b.txt", "b", classification=Classification.PUBLIC)

    def titles(query):
        return [
            d["title"] for d in client.get(f"/api/v1/records/documents?{query}").json()["items"]
        ]

    assert titles("classification=secret") == ["a.txt"]
    assert titles("tag=x") == ["a.txt"]
    assert titles("doc_type=payroll") == ["a.txt"]
    assert sorted(titles("")) == ["a.txt", "b.txt"]
    assert client.get("/api/v1/records/documents?classification=topsecret").status_code == 422


def test_roles_without_upload_permission_are_refused(company_a, make_user, api_token):
    analyst = make_user(company_a, roles=[Role.EMPLOYEE])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(analyst, company_a)}")
    response = client.post("/api/v1/records/documents", {"file": upload("a.txt", "x")})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Document.objects.count() == 0


def test_unknown_or_foreign_documents_are_not_found(api, company_b, make_user, api_token):
    _officer, client = api
    other = person(make_user, company_b, Role.COMPLIANCE_OFFICER)
    doc = attach(other, company_b, "b.txt", "của B", classification=Classification.PUBLIC)
    assert client.get("/api/v1/records/documents").json()["items"] == []
    assert client.get("/api/v1/records/documents?q=cua").json()["items"] == []
    for path in (f"/documents/{doc.public_id}", f"/documents/{doc.public_id}/download"):
        response = client.get(f"/api/v1/records{path}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    response = client.post(f"/api/v1/records/documents/{doc.public_id}/versions",
                           {"file": upload("b.txt", "ghi đè")})  # fmt: skip
    assert response.status_code == 404
    assert doc.versions.count() == 1


def test_the_list_costs_the_same_queries_for_two_or_six_documents(api, company_a):
    officer, client = api
    dept = Department.objects.create(company=company_a, code="KT", name="Kế toán")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def list_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/records/documents").status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        attach(officer, company_a, f"{i}.txt", "x", department=dept)
    list_queries()  # warm the per-process caches (content types, token use)
    few = list_queries()
    for i in range(2, 6):
        attach(officer, company_a, f"{i}.txt", "x", department=dept)
    assert list_queries() == few

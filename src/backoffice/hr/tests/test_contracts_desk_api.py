"""Contracts on the desk and the API, and the generated documents: who sees
contracts and salaries (another company, a role without the permission, HR
officers who may enter but not read salaries), DOCX/PDF in Vietnamese."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.test import Client

from backoffice.core.exceptions import NotFound, PermissionDenied
from backoffice.hr.models import Contract
from backoffice.hr.services import contracts as svc

D = dt.date
SALARY = Decimal(23_456_000)
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(hr_org):
    c = svc.contract_create(
        actor=hr_org.hr_officer, company=hr_org.company, employee=hr_org.staff_emp,
        contract_type="fixed_term", start_date=D(2026, 1, 1), end_date=D(2026, 12, 15),
        salary=SALARY, work_location="Tầng 5, 12 Nguyễn Huệ, TP. Hồ Chí Minh",
    )  # fmt: skip
    svc.contract_sign(actor=hr_org.hr_manager, company=hr_org.company, contract=c,
                      signed_on=D(2025, 12, 20))  # fmt: skip
    hr_org.contract = c
    return hr_org


def desk(desk_login, user, company):
    return desk_login(Client(), user, company)


def api(api_token, user, company):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}")


# --- documents ----------------------------------------------------------------------------


def test_pdf_keeps_the_vietnamese_diacritics(world):
    from pypdf import PdfReader

    name, data = svc.contract_document(
        actor=world.hr_manager, company=world.company, contract=world.contract, fmt="pdf"
    )
    assert name == "hop-dong-HĐLĐ-2026-0001.pdf"
    assert data.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    text = " ".join(text.split())
    for phrase in ("HỢP ĐỒNG LAO ĐỘNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nguyễn Thị Lan",
                   "Hợp đồng lao động xác định thời hạn", "từ ngày 01/01/2026 đến ngày 15/12/2026",
                   "23.456.000 đồng/tháng", "Hai mươi ba triệu", "Phòng Kinh doanh",
                   "Nhân viên kinh doanh", "Tầng 5, 12 Nguyễn Huệ"):  # fmt: skip
        assert phrase in text, phrase
    # the HR manager holds hr.reveal_pii: the full national ID is printed
    assert "079203001234" in text


def test_docx_is_rendered_and_both_are_stored_once_as_confidential(world):
    from docx import Document as Docx

    from backoffice.core.models import AuditEvent
    from backoffice.records.models import Document

    name, data = svc.contract_document(
        actor=world.payroll, company=world.company, contract=world.contract, fmt="docx"
    )
    assert name.endswith(".docx")
    body = "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)
    assert "HỢP ĐỒNG LAO ĐỘNG" in body
    assert "Mức lương chính: 23.456.000 đồng/tháng" in body
    svc.contract_document(actor=world.payroll, company=world.company, contract=world.contract,
                          fmt="docx")  # fmt: skip
    svc.contract_document(actor=world.payroll, company=world.company, contract=world.contract,
                          fmt="pdf")  # fmt: skip
    docs = Document.objects.filter(company=world.company, owner_id=str(world.contract.pk))
    assert sorted(docs.values_list("doc_type", flat=True)) == [
        "hr.contract.docx",
        "hr.contract.pdf",
    ]
    assert set(docs.values_list("classification", flat=True)) == {"confidential"}
    assert docs.first().versions.first().encrypted
    assert AuditEvent.objects.filter(event_type="CONTRACT_DOCUMENT_GENERATED").count() == 3


def test_a_probation_document_states_the_percentage(hr_org, make_employee):
    from pypdf import PdfReader

    emp = make_employee(hr_org.company, full_name="Đặng Thử Việc", position=hr_org.dev)
    c = svc.contract_create(
        actor=hr_org.hr_officer, company=hr_org.company, employee=emp, contract_type="probation",
        start_date=D(2026, 2, 2), end_date=D(2026, 4, 1), salary=Decimal(17_000_000),
        job_salary=Decimal(20_000_000),
    )  # fmt: skip
    _n, data = svc.contract_document(actor=hr_org.hr_manager, company=hr_org.company, contract=c,
                                     fmt="pdf")  # fmt: skip
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "HỢP ĐỒNG THỬ VIỆC" in text
    assert "bằng 85% mức lương của công việc là 20.000.000 đồng/tháng" in text


def test_who_may_generate_and_see_the_documents(world, make_employee):
    from backoffice.hr.tests.conftest import act
    from backoffice.records.selectors import visible_documents

    svc.contract_document(actor=world.hr_manager, company=world.company, contract=world.contract,
                          fmt="pdf")  # fmt: skip
    # an HR officer enters salaries but does not read them: no document
    with pytest.raises(PermissionDenied) as exc:
        svc.contract_document(actor=world.hr_officer, company=world.company,
                              contract=world.contract, fmt="pdf")  # fmt: skip
    assert exc.value.code == "salary_hidden"
    with pytest.raises(PermissionDenied):
        svc.contract_document(actor=world.accountant, company=world.company,
                              contract=world.contract, fmt="pdf")  # fmt: skip
    with pytest.raises(NotFound):
        svc.contract_document(actor=world.outsider_hr, company=world.other_company,
                              contract=world.contract, fmt="pdf")  # fmt: skip

    def sees(user, company=world.company):
        return visible_documents(user=act(user, company), company=company).filter(
            doc_type__startswith="hr.contract"
        ).exists()  # fmt: skip

    assert sees(world.hr_manager)
    assert sees(world.payroll)
    assert sees(world.staff)  # the employee: their own contract (records owner access)
    for user in (world.hr_officer, world.accountant, world.manager, world.other_manager,
                 world.analyst, world.it_officer):  # fmt: skip
        assert not sees(user), user
    # The operations manager holds records.view_confidential + view_all_departments,
    # but contract documents open only through the contract's own access rule.
    assert not sees(world.director)
    assert not sees(world.outsider_hr, world.other_company)


# --- desk ---------------------------------------------------------------------------------


def test_desk_list_and_detail_show_salary_only_to_salary_roles(world, desk_login):
    url = "/desk/hr/contract/"
    detail = f"/desk/hr/contract/{world.contract.pk}/change/"
    body = desk(desk_login, world.hr_manager, world.company).get(url).content.decode()
    assert "HĐLĐ-2026-0001" in body
    assert "23.456.000" in body
    body = desk(desk_login, world.hr_manager, world.company).get(detail).content.decode()
    assert "23.456.000" in body
    assert "hr-docx" in body
    assert "hr-terminate" in body
    officer = desk(desk_login, world.hr_officer, world.company)
    body = officer.get(url).content.decode()
    assert "HĐLĐ-2026-0001" in body
    assert "23.456.000" not in body
    body = officer.get(detail).content.decode()
    assert "23.456.000" not in body
    assert "hr-docx" not in body
    assert "hr-renew" in body
    doc = f"/desk/hr/contracts/{world.contract.public_id}/document/pdf/"
    assert officer.get(doc).status_code == 403  # salary_hidden
    response = desk(desk_login, world.hr_manager, world.company).get(doc)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    # the expiring view
    response = officer.get("/desk/hr/contracts/expiring/")
    assert response.status_code == 302
    assert "expiring=30" in response["Location"]


def test_desk_refuses_other_roles_and_companies(world, desk_login):
    url = "/desk/hr/contract/"
    detail = f"/desk/hr/contract/{world.contract.pk}/change/"
    for user in (world.accountant, world.manager, world.staff):
        client = desk(desk_login, user, world.company)
        assert client.get(url).status_code == 403
        assert client.get(detail).status_code in (302, 403)
        doc = f"/desk/hr/contracts/{world.contract.public_id}/document/pdf/"
        assert client.get(doc).status_code == 403
        assert client.get("/desk/hr/contracts/expiring/").status_code == 403
    outsider = desk(desk_login, world.outsider_hr, world.other_company)
    body = outsider.get(url).content.decode()
    assert "HĐLĐ-2026-0001" not in body
    assert outsider.get(detail).status_code == 302  # "does not exist" redirect
    response = outsider.get(f"/desk/hr/contracts/{world.contract.public_id}/document/pdf/")
    assert response.status_code == 404
    assert not response.get("Content-Disposition")


def test_desk_export_never_carries_salaries(world, desk_login):
    from django.contrib import admin
    from import_export.formats.base_formats import CSV

    formats = admin.site._registry[Contract].get_export_formats()
    csv_index = str(next(i for i, f in enumerate(formats) if f is CSV))
    for user in (world.hr_manager, world.hr_officer):
        client = desk(desk_login, user, world.company)
        response = client.post("/desk/hr/contract/export/", {"format": csv_index, "resource": "0"})
        assert response.status_code == 200
        content = response.content.decode("utf-8-sig")
        assert "HĐLĐ-2026-0001" in content
        assert "23456000" not in content
        assert "salary" not in content.splitlines()[0]
    outsider = desk(desk_login, world.outsider_hr, world.other_company)
    response = outsider.post("/desk/hr/contract/export/", {"format": csv_index, "resource": "0"})
    assert response.status_code == 200  # an export, empty of the other company's contracts
    assert "HĐLĐ-2026-0001" not in response.content.decode("utf-8", "replace")


def test_desk_draft_form_and_panel_operations(world, desk_login):
    officer = desk(desk_login, world.hr_officer, world.company)
    data = {
        "employee": world.staff_emp.pk, "contract_type": "fixed_term", "job_level": "college",
        "start_date": "2027-01-01", "end_date": "2030-06-30", "salary": "25000000",
    }  # fmt: skip
    response = officer.post("/desk/hr/contract/add/", data)
    assert response.status_code == 200  # refused: 42 months
    assert "20.1.b" in response.content.decode()
    data["end_date"] = "2027-12-31"
    response = officer.post("/desk/hr/contract/add/", data)
    assert response.status_code == 302
    new = Contract.objects.get(number="HĐLĐ-2027-0001")
    assert new.salary == Decimal(25_000_000)
    assert new.state == "draft"
    manager = desk(desk_login, world.hr_manager, world.company)
    detail = f"/desk/hr/contract/{new.pk}/change/"
    manager.post(detail, {"_hr_op": "sign", "signed_on": "2026-12-01"})
    new.refresh_from_db()
    assert new.state == "active"
    world.contract.refresh_from_db()
    assert world.contract.state == "ended"
    manager.post(detail, {"_hr_op": "terminate", "terminated_on": "2027-03-31",
                          "reason": "Người lao động xin nghỉ"})  # fmt: skip
    new.refresh_from_db()
    assert new.state == "terminated"


# --- API ----------------------------------------------------------------------------------


def test_api_list_loads_and_decrypts_only_the_page(world, api_token, make_employee,
                                                   monkeypatch, django_assert_max_num_queries):  # fmt: skip
    from backoffice.hr.api import contracts as api_contracts

    for n in range(4):
        emp = make_employee(world.company, full_name=f"Người Thứ {n}", position=world.dev)
        svc.contract_create(actor=world.hr_officer, company=world.company, employee=emp,
                            contract_type="indefinite", start_date=D(2026, 3, 1 + n),
                            salary=SALARY)  # fmt: skip
    shaped = []
    real = api_contracts._out
    monkeypatch.setattr(api_contracts, "_out", lambda r, c, co: shaped.append(c) or real(r, c, co))
    client = api(api_token, world.hr_manager, world.company)
    with django_assert_max_num_queries(12):
        body = client.get("/api/v1/hr/contracts?page_size=2&page=2").json()
    assert body["count"] == 5
    assert len(body["items"]) == 2 == len(shaped)
    assert [i["start_date"] for i in body["items"]] == ["2026-03-02", "2026-03-01"]
    assert Decimal(body["items"][0]["salary"]) == SALARY


def test_api_salary_only_for_salary_roles_and_scoped_to_the_company(world, api_token):
    cid = world.contract.public_id
    body = api(api_token, world.hr_manager, world.company).get("/api/v1/hr/contracts").json()
    assert body["count"] == 1
    assert body["items"][0]["salary"] == "23456000" or Decimal(body["items"][0]["salary"]) == SALARY
    body = api(api_token, world.hr_officer, world.company).get(f"/api/v1/hr/contracts/{cid}").json()
    assert body["number"] == "HĐLĐ-2026-0001"
    assert body["salary"] is None
    assert body["salary_visible"] is False
    for user in (world.accountant, world.staff, world.manager):
        client = api(api_token, user, world.company)
        assert client.get("/api/v1/hr/contracts").status_code == 403
        assert client.get(f"/api/v1/hr/contracts/{cid}").status_code == 403
        assert client.get(f"/api/v1/hr/contracts/{cid}/document?fmt=pdf").status_code == 403
    outsider = api(api_token, world.outsider_hr, world.other_company)
    assert outsider.get("/api/v1/hr/contracts").json()["count"] == 0
    assert outsider.get(f"/api/v1/hr/contracts/{cid}").status_code == 404
    assert outsider.get(f"/api/v1/hr/contracts/{cid}/document?fmt=pdf").status_code == 404
    assert outsider.post(f"/api/v1/hr/contracts/{cid}/sign", "{}",
                         content_type="application/json").status_code == 404  # fmt: skip
    officer = api(api_token, world.hr_officer, world.company)
    response = officer.get(f"/api/v1/hr/contracts/{cid}/document?fmt=pdf")
    assert response.status_code == 403
    assert response.json()["code"] == "salary_hidden"
    response = api(api_token, world.payroll, world.company).get(
        f"/api/v1/hr/contracts/{cid}/document?fmt=pdf"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_api_create_sign_and_refusals_cite_the_article(world, api_token):
    officer = api(api_token, world.hr_officer, world.company)
    payload = {"employee_id": str(world.staff_emp.public_id), "contract_type": "fixed_term",
               "start_date": "2026-12-16", "end_date": "2030-12-15", "salary": 24000000}  # fmt: skip
    response = officer.post("/api/v1/hr/contracts", json.dumps(payload),
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    assert response.json()["code"] == "fixed_term_too_long"
    assert response.json()["extra"]["article"] == "Art. 20.1.b"
    payload["end_date"] = "2027-12-15"
    response = officer.post("/api/v1/hr/contracts", json.dumps(payload),
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    second = response.json()
    assert second["salary"] is None  # entered, but not readable by an HR officer
    response = officer.post(f"/api/v1/hr/contracts/{second['id']}/sign", "{}",
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    assert response.json()["state"] == "active"
    # a third fixed-term contract: refused, Art. 20.2.c
    payload.update(start_date="2027-12-16", end_date="2028-12-15")
    response = officer.post("/api/v1/hr/contracts", json.dumps(payload),
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    assert response.json()["code"] == "indefinite_required"
    assert response.json()["extra"]["article"] == "Art. 20.2.c"
    response = officer.post(f"/api/v1/hr/contracts/{second['id']}/renew", "{}",
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    assert response.json()["contract_type"] == "indefinite"
    # the outsider cannot draft for this company's employee
    outsider = api(api_token, world.outsider_hr, world.other_company)
    response = outsider.post("/api/v1/hr/contracts", json.dumps(payload),
                             content_type="application/json")  # fmt: skip
    assert response.status_code == 404

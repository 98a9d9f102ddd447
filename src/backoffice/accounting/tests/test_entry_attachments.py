"""Files attached to a voucher (journal entry) open only for those who may see the
voucher (``accounting.view_entry`` in the company), whatever ``records`` permissions
other roles hold: an HR manager, an IT officer or a data analyst sees the voucher
page answer 403, so its receipts do not reach them through the document store
either (desk list, detail, download; API list, detail, download)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from backoffice.accounting.tests.ledger_helpers import books, person, post
from backoffice.core.enums import Classification, Role
from backoffice.records import selectors as records
from backoffice.records.services import document_attach

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_home")]

DOCS = "/api/v1/records/documents"
TITLE = "Hoá đơn GTGT số 0001234"
DATA = b"So tien 15.000.000 - TK 642"


@pytest.fixture
def world(make_company, make_user):
    company = books(make_company, "ACO")
    other = books(make_company, "BCO")
    people = {
        "accountant": person(make_user, company, Role.ACCOUNTANT),
        "chief": person(make_user, company, Role.CHIEF_ACCOUNTANT),
        "hr_manager": person(make_user, company, Role.HR_MANAGER),
        "it_officer": person(make_user, company, Role.IT_OFFICER),
        "analyst": person(make_user, company, Role.DATA_ANALYST),
        "outsider": person(make_user, other, Role.CHIEF_ACCOUNTANT),
    }
    entry = post(company, ("642", 15_000_000, 0), ("1111", 0, 15_000_000), journal="CASH",
                 actor=people["accountant"])  # fmt: skip
    docs = {
        cls: document_attach(
            actor=people["accountant"],
            company=company,
            owner=entry,
            uploaded_file=SimpleUploadedFile(f"{cls}.txt", DATA),
            title=f"{TITLE} {cls}",
            classification=cls,
        )  # fmt: skip
        for cls in (Classification.INTERNAL, Classification.CONFIDENTIAL)
    }
    return company, other, people, entry, docs


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {d["id"] for d in response.json()["items"]}


@pytest.mark.parametrize("role", ["hr_manager", "it_officer", "analyst"])
def test_roles_without_accounting_rights_never_reach_a_voucher_attachment(
    world, role, api_token, desk_login
):
    company, _other, people, entry, docs = world
    user = people[role]
    assert user.has_perm("records.view_document")
    assert not user.has_perm("accounting.view_entry")
    assert not records.visible_documents(user=user, company=company).exists()
    desk = desk_login(Client(), user, company)
    # the voucher page itself is refused: its files must not be reachable either
    assert desk.get(f"/desk/accounting/entry/{entry.pk}/change/").status_code == 403
    listing = desk.get("/desk/records/document/").content.decode()
    assert TITLE not in listing
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}")
    assert _ids(api.get(DOCS)) == set()
    assert _ids(api.get(DOCS, {"q": "hoa don"})) == set()
    for doc in docs.values():
        detail = desk.get(f"/desk/records/document/{doc.pk}/change/")
        assert detail.status_code in (302, 403, 404)
        assert TITLE not in detail.content.decode()
        download = desk.get(reverse("records:document_download", args=[doc.public_id]))
        assert download.status_code in (403, 404)
        assert DATA not in download.content
        assert api.get(f"{DOCS}/{doc.public_id}").status_code == 404
        assert api.get(f"{DOCS}/{doc.public_id}/download").status_code == 404


@pytest.mark.parametrize("role", ["accountant", "chief"])
def test_those_who_may_see_the_voucher_still_open_its_files(world, role, api_token, desk_login):
    company, _other, people, entry, docs = world
    user = people[role]
    expected = {str(d.public_id) for d in docs.values()}
    assert {str(d.public_id) for d in records.visible_documents(user=user, company=company)} == (
        expected
    )
    desk = desk_login(Client(), user, company)
    page = desk.get(f"/desk/accounting/entry/{entry.pk}/change/")
    assert page.status_code == 200
    for doc in docs.values():
        assert str(doc.public_id) in page.content.decode()  # the attachments inline
        assert desk.get(f"/desk/records/document/{doc.pk}/change/").status_code == 200
        download = desk.get(reverse("records:document_download", args=[doc.public_id]))
        assert download.status_code == 200
        assert download.content == DATA
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}")
    assert _ids(api.get(DOCS)) == expected
    for doc in docs.values():
        assert api.get(f"{DOCS}/{doc.public_id}").status_code == 200
        assert api.get(f"{DOCS}/{doc.public_id}/download").content == DATA


def test_another_company_never_reaches_the_files(world, api_token):
    company, other, people, _entry, docs = world
    outsider = people["outsider"]
    assert not records.visible_documents(user=outsider, company=other).exists()
    assert not records.visible_documents(user=outsider, company=company).exists()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(outsider, other)}")
    assert _ids(api.get(DOCS)) == set()
    for doc in docs.values():
        assert api.get(f"{DOCS}/{doc.public_id}/download").status_code == 404

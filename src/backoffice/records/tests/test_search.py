"""Full-text search over extracted text, with or without Vietnamese diacritics
(runs on SQLite FTS5 and PostgreSQL tsvector alike)."""

from __future__ import annotations

import pytest

from backoffice.core.enums import Classification, Role
from backoffice.records.selectors import document_search
from backoffice.records.services import document_add_version, document_update
from backoffice.records.tests.conftest import docx_bytes, pdf_bytes, upload, xlsx_bytes
from backoffice.records.tests.helpers import attach, person
from backoffice.records.text import fold

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(company_a, make_user):
    return person(make_user, company_a, Role.COMPLIANCE_OFFICER)


def found(user, company, query):
    return sorted(d.title for d in document_search(user=user, company=company, query=query))


def test_fold():
    assert fold("Hợp ĐỒNG Lao động") == "hop dong lao dong"
    assert fold("Đà Nẵng, thuế TNCN") == "da nang, thue tncn"


def test_search_with_and_without_diacritics(officer, company_a):
    attach(officer, company_a, "a.txt", "Hợp đồng lao động số 12/2026", title="HĐLĐ")
    attach(officer, company_a, "b.txt", "hop dong thue xe khong dau", title="Thuê xe")
    attach(officer, company_a, "c.txt", "Biên bản bàn giao tài sản", title="Bàn giao")
    assert found(officer, company_a, "hop dong") == ["HĐLĐ", "Thuê xe"]
    assert found(officer, company_a, "hợp đồng") == ["HĐLĐ", "Thuê xe"]
    assert found(officer, company_a, "HỢP ĐỒNG LAO ĐỘNG") == ["HĐLĐ"]
    assert found(officer, company_a, "thuê xe") == ["Thuê xe"]
    assert found(officer, company_a, "ban giao") == ["Bàn giao"]
    assert found(officer, company_a, "bàn gia") == ["Bàn giao"]  # prefix of the last word
    assert found(officer, company_a, "không có từ này") == []
    # Search syntax is not interpreted: quotes, stars, operators are just characters.
    assert found(officer, company_a, '"hop" * (dong:') == ["HĐLĐ", "Thuê xe"]


@pytest.mark.parametrize(
    ("name", "maker"),
    [("hd.pdf", pdf_bytes), ("hd.docx", docx_bytes), ("hd.xlsx", xlsx_bytes)],
)
def test_text_is_extracted_from_office_files_and_pdf(officer, company_a, name, maker):
    attach(officer, company_a, name, maker("Quyết định bổ nhiệm Kế toán trưởng"), title=name)
    assert found(officer, company_a, "quyet dinh bo nhiem") == [name]
    assert found(officer, company_a, "kế toán trưởng") == [name]


def test_title_and_tags_are_searchable(officer, company_a):
    attach(officer, company_a, "x.txt", "nội dung", title="Giấy phép kinh doanh",
           tags=["pháp lý"])  # fmt: skip
    assert found(officer, company_a, "giay phep") == ["Giấy phép kinh doanh"]
    assert found(officer, company_a, "phap ly") == ["Giấy phép kinh doanh"]


def test_the_index_follows_new_versions_and_edits(officer, company_a):
    doc = attach(officer, company_a, "x.txt", "bản nháp đầu tiên", title="Báo cáo")
    document_add_version(
        actor=officer, document=doc, uploaded_file=upload("x.txt", "bản chính thức")
    )
    assert found(officer, company_a, "chinh thuc") == ["Báo cáo"]
    assert found(officer, company_a, "nhap") == []
    doc.refresh_from_db()
    document_update(actor=officer, document=doc, title="Báo cáo quý")
    assert found(officer, company_a, "bao cao quy chinh thuc") == ["Báo cáo quý"]


def test_search_never_crosses_companies_or_clearance(officer, company_a, company_b, make_user):
    attach(officer, company_a, "x.txt", "hợp đồng mật", title="Mật",
           classification=Classification.SECRET)  # fmt: skip
    other = person(make_user, company_b, Role.COMPLIANCE_OFFICER)
    attach(other, company_b, "y.txt", "hợp đồng của B", title="Của B")
    analyst = person(make_user, company_a, Role.DATA_ANALYST)
    assert found(officer, company_a, "hop dong") == ["Mật"]
    assert found(other, company_b, "hop dong") == ["Của B"]
    assert found(analyst, company_a, "hop dong") == []


def test_the_index_exists_for_this_database():
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT sql FROM sqlite_master WHERE name = 'records_document_fts'")
            assert "fts5" in cur.fetchone()[0]
        else:
            cur.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'records_document_fts_gin'"
            )
            assert "gin" in cur.fetchone()[0].lower()

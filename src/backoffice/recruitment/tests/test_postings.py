"""Job postings: created from an approved requisition, Vietnamese and English
text, province, salary or "thỏa thuận", deadline, screening requirements;
publish and close; the public selectors; desk, API, CLI and access."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.test import Client
from django.utils import timezone

from backoffice.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from backoffice.recruitment.enums import PostingState
from backoffice.recruitment.models import JobPosting
from backoffice.recruitment.selectors import postings as sel
from backoffice.recruitment.services import postings as svc

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _draft(rec, **kw):
    data = dict(
        title_en="Senior Python developer", description="Xây dựng hệ thống.",
        province="79", deadline=timezone.localdate() + dt.timedelta(days=20),
        requirements={"skills": ["Python", "Django"], "min_years": 2, "education": "bachelor",
                      "languages": ["English|Tiếng Anh"]},
    )  # fmt: skip
    data.update(kw)
    return svc.posting_create(
        actor=rec.org.hr_officer, company=rec.company, requisition=rec.requisition, **data
    )


# --- services -------------------------------------------------------------------------------
def test_create_from_requisition_prefills_and_slugs(rec):
    p = _draft(rec)
    assert p.state == PostingState.DRAFT
    assert p.title == rec.requisition.title
    assert p.department == rec.requisition.department
    assert p.salary_min == Decimal(12_000_000)
    assert p.salary_max == Decimal(18_000_000)
    assert p.openings == 2
    # the fixture's posting holds "lap-trinh-vien-python"
    assert p.slug == "lap-trinh-vien-python-2"
    assert p.requirements == {"skills": ["Python", "Django"], "languages": ["English|Tiếng Anh"],
                              "min_years": 2, "education": "bachelor"}  # fmt: skip
    q = svc.posting_create(actor=rec.org.hr_officer, company=rec.company,
                           title="Nhân viên Đà Nẵng", salary_negotiable=True)  # fmt: skip
    assert q.slug == "nhan-vien-da-nang"
    assert q.requisition is None


def test_publish_and_close(rec):
    p = _draft(rec)
    p = svc.posting_publish(actor=rec.org.hr_officer, posting=p)
    assert p.state == PostingState.PUBLISHED
    assert p.published_at
    assert p in sel.public_postings(rec.company)
    p = svc.posting_close(actor=rec.org.hr_officer, posting=p)
    assert p.state == PostingState.CLOSED
    assert p.closed_at
    assert p not in sel.public_postings(rec.company)
    with pytest.raises(Conflict):
        svc.posting_close(actor=rec.org.hr_officer, posting=p)
    with pytest.raises(Conflict):
        svc.posting_update(actor=rec.org.hr_officer, posting=p, title="Mới")
    p = svc.posting_publish(actor=rec.org.hr_officer, posting=p)
    assert p.state == PostingState.PUBLISHED
    assert p.closed_at is None


def test_publish_refusals_change_nothing(rec):
    org = rec.org
    p = _draft(rec, description="")
    before = JobPosting.objects.filter(pk=p.pk).values().get()
    with pytest.raises(ValidationFailed) as exc:
        svc.posting_publish(actor=org.hr_officer, posting=p)
    assert exc.value.code == "description_required"
    svc.posting_update(actor=org.hr_officer, posting=p, description="Mô tả")
    p.refresh_from_db()
    before = JobPosting.objects.filter(pk=p.pk).values().get()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    JobPosting.objects.filter(pk=p.pk).update(deadline=yesterday)
    with pytest.raises(ValidationFailed) as exc:
        svc.posting_publish(actor=org.hr_officer, posting=p)
    assert exc.value.code == "deadline_passed"
    JobPosting.objects.filter(pk=p.pk).update(deadline=before["deadline"])
    no_salary = svc.posting_create(actor=org.hr_officer, company=rec.company, title="Tạp vụ",
                                   description="Dọn dẹp")  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        svc.posting_publish(actor=org.hr_officer, posting=no_salary)
    assert exc.value.code == "salary_required"
    for user in (org.staff, org.director, org.analyst):  # no manage_posting
        with pytest.raises(PermissionDenied):
            svc.posting_publish(actor=user, posting=p)
        with pytest.raises(PermissionDenied):
            svc.posting_update(actor=user, posting=p, title="Hack")
    with pytest.raises(PermissionDenied):
        svc.posting_publish(actor=org.outsider_hr, posting=p)
    for bad in ({"salary_min": 5, "salary_max": 1}, {"province": "Atlantis"},
                {"requirements": {"min_years": 99}}, {"requirements": {"education": "phd"}},
                {"requirements": {"skills": "x" * 200}}, {"openings": 0}, {"title": ""},
                {"employment_type": "slave"}):  # fmt: skip
        with pytest.raises(ValidationFailed):
            svc.posting_update(actor=org.hr_officer, posting=p, **bad)
    assert JobPosting.objects.filter(pk=p.pk).values().get() == before
    assert p.state == PostingState.DRAFT


def test_requisition_must_be_approved_and_open(rec):
    from backoffice.recruitment.services.requisitions import requisition_create

    draft = requisition_create(actor=rec.org.hr_officer, company=rec.company, title="Thủ kho",
                               department=rec.org.sales)  # fmt: skip
    with pytest.raises(Conflict):
        svc.posting_create(actor=rec.org.hr_officer, company=rec.company, requisition=draft)
    p = _draft(rec)
    rec.requisition.state = "filled"
    rec.requisition.save()
    with pytest.raises(Conflict):
        svc.posting_publish(actor=rec.org.hr_officer, posting=p)
    assert JobPosting.objects.filter(requisition=draft).count() == 0


def test_public_selectors(rec):
    org = rec.org
    rec.posting.province = "01"
    rec.posting.save()
    other = svc.posting_create(actor=org.hr_officer, company=rec.company,
                               title="Kế toán tổng hợp", title_en="Accountant",
                               description="Lập báo cáo tài chính", province="79",
                               employment_type="part_time", salary_negotiable=True,
                               department=org.it)  # fmt: skip
    svc.posting_publish(actor=org.hr_officer, posting=other)
    expired = svc.posting_create(actor=org.hr_officer, company=rec.company, title="Hết hạn",
                                 description="x", salary_negotiable=True)  # fmt: skip
    svc.posting_publish(actor=org.hr_officer, posting=expired)
    # Today read here, not at import: a run crossing midnight in Vietnam saw it as past.
    today = timezone.localdate()
    JobPosting.objects.filter(pk=expired.pk).update(deadline=today - dt.timedelta(days=1))
    today_deadline = svc.posting_create(actor=org.hr_officer, company=rec.company,
                                        title="Hôm nay", description="x",
                                        salary_negotiable=True, deadline=today)  # fmt: skip
    svc.posting_publish(actor=org.hr_officer, posting=today_deadline)
    draft = svc.posting_create(actor=org.hr_officer, company=rec.company, title="Nháp")

    slugs = {p.slug for p in sel.public_postings(rec.company)}
    assert slugs == {rec.posting.slug, other.slug, today_deadline.slug}
    assert [p.slug for p in sel.public_postings(rec.company, q="ke toan")] == [other.slug]
    assert [p.slug for p in sel.public_postings(rec.company, q="ACCOUNTANT")] == [other.slug]
    assert [p.slug for p in sel.public_postings(rec.company, province="01")] == [rec.posting.slug]
    assert [p.slug for p in sel.public_postings(rec.company, employment_type="part_time")] == [
        other.slug
    ]
    assert [p.slug for p in sel.public_postings(rec.company, department="IT")] == [other.slug]
    assert [p.slug for p in sel.public_postings(rec.company,
                                                 department=str(org.it.public_id))] == [other.slug]  # fmt: skip
    assert list(sel.public_postings(org.other_company)) == []
    assert sel.public_posting_get(rec.company, rec.posting.slug) == rec.posting
    for slug in (expired.slug, draft.slug, "khong-co"):
        with pytest.raises(NotFound):
            sel.public_posting_get(rec.company, slug)
    with pytest.raises(NotFound):
        sel.public_posting_get(org.other_company, rec.posting.slug)
    assert rec.company in sel.public_companies()


# --- desk -----------------------------------------------------------------------------------
def _form(org, **kw):
    data = {
        "title": "Nhân viên bán hàng",
        "title_en": "Sales associate",
        "description": "Bán hàng tại cửa hàng",
        "description_en": "Sell in the shop",
        "province": "79",
        "employment_type": "full_time",
        "openings": 2,
        "salary_min": "8000000",
        "salary_max": "12000000",
        "deadline": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        "skills": "Bán hàng\nGiao tiếp|Communication",
        "min_years": 1,
        "education": "high_school",
        "languages": "Tiếng Việt",
        "scorecard_criteria": "Thái độ\nKinh nghiệm",
    }
    data.update(kw)
    return data


def test_desk_create_edit_publish_close(rec, desk_login):
    c = desk_login(Client(), rec.org.hr_officer, rec.company)
    resp = c.get(f"/desk/recruitment/postings/new/?requisition={rec.requisition.public_id}", **EN)
    assert resp.status_code == 200
    assert b"posting-from-requisition" in resp.content
    resp = c.post("/desk/recruitment/postings/new/",
                  _form(rec.org, requisition=str(rec.requisition.public_id)), **EN)  # fmt: skip
    assert resp.status_code == 302
    p = JobPosting.objects.get(title="Nhân viên bán hàng")
    assert p.requisition == rec.requisition
    assert p.requirements["skills"] == ["Bán hàng", "Giao tiếp|Communication"]
    assert p.requirements["education"] == "high_school"
    assert p.scorecard_criteria == ["Thái độ", "Kinh nghiệm"]
    url = f"/desk/recruitment/postings/{p.public_id}/"
    page = c.get(url, **EN).content.decode()
    assert "8.000.000 ₫" in page
    assert "Hồ Chí Minh" in page
    assert "posting-publish" in page
    resp = c.post(url, {"op": "save", **_form(rec.org, salary_negotiable="on", title="Bán hàng")},
                  **EN)  # fmt: skip
    assert resp.status_code == 302
    p.refresh_from_db()
    assert p.title == "Bán hàng"
    assert p.salary_negotiable
    assert "Negotiable" in c.get(url, **EN).content.decode()
    c.post(url, {"op": "publish"})
    p.refresh_from_db()
    assert p.state == PostingState.PUBLISHED
    c.post(url, {"op": "close"})
    p.refresh_from_db()
    assert p.state == PostingState.CLOSED
    listing = c.get("/desk/recruitment/postings/?state=closed", **EN).content.decode()
    assert "Bán hàng" in listing
    assert rec.posting.title not in listing


def test_desk_publish_error_is_shown(rec, desk_login):
    p = _draft(rec, description="")
    c = desk_login(Client(), rec.org.hr_officer, rec.company)
    url = f"/desk/recruitment/postings/{p.public_id}/"
    resp = c.post(url, {"op": "publish"}, follow=True, **EN)
    assert b"Write the job description" in resp.content
    p.refresh_from_db()
    assert p.state == PostingState.DRAFT


def test_desk_access(rec, desk_login):
    p = rec.posting
    url = f"/desk/recruitment/postings/{p.public_id}/"
    for user in (rec.org.accountant, rec.org.staff, rec.org.analyst):
        c = desk_login(Client(), user, rec.company)
        assert c.get("/desk/recruitment/postings/").status_code == 403
        resp = c.get(url)
        assert resp.status_code == 404
        assert p.title.encode() not in resp.content
        assert c.post(url, {"op": "close"}).status_code == 404
        assert c.get("/desk/recruitment/postings/new/").status_code == 403
    # the hiring manager reads their posting, cannot change it
    c = desk_login(Client(), rec.org.manager, rec.company)
    page = c.get(url).content.decode()
    assert p.title in page
    assert "posting-close" not in page
    c = desk_login(Client(), rec.org.outsider_hr, rec.org.other_company)
    assert c.get(url).status_code == 404
    assert p.title not in c.get("/desk/recruitment/postings/").content.decode()
    p.refresh_from_db()
    assert p.state == PostingState.PUBLISHED


# --- API ------------------------------------------------------------------------------------
def _api(api_token, user, company):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}", **EN)


def test_api_flow(rec, api_token):
    c = _api(api_token, rec.org.hr_officer, rec.company)
    resp = c.post("/api/v1/recruitment/postings", json.dumps({
        "requisition_id": str(rec.requisition.public_id), "title_en": "Backend developer",
        "description": "Phát triển API", "province": "01",
        "deadline": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        "requirements": {"skills": ["Go", "Python"], "min_years": 4, "education": "master",
                         "languages": ["English"]},
    }), content_type="application/json")  # fmt: skip
    assert resp.status_code == 201, resp.content
    body = resp.json()
    pid = body["id"]
    assert body["title"] == rec.requisition.title
    assert body["salary_max"] == 18000000
    assert body["requirements"]["min_years"] == 4
    assert body["state"] == "draft"
    resp = c.patch(f"/api/v1/recruitment/postings/{pid}",
                   json.dumps({"salary_negotiable": True, "title_en": "Backend dev"}),
                   content_type="application/json")  # fmt: skip
    assert resp.status_code == 200
    assert resp.json()["salary_negotiable"] is True
    resp = c.patch(f"/api/v1/recruitment/postings/{pid}", json.dumps({"province": "99"}),
                   content_type="application/json")  # fmt: skip
    assert resp.status_code == 422
    assert c.post(f"/api/v1/recruitment/postings/{pid}/publish").json()["state"] == "published"
    assert c.post(f"/api/v1/recruitment/postings/{pid}/publish").status_code == 409
    listing = c.get("/api/v1/recruitment/postings?state=published").json()
    assert {r["id"] for r in listing["items"]} == {pid, str(rec.posting.public_id)}
    assert c.post(f"/api/v1/recruitment/postings/{pid}/close").json()["state"] == "closed"
    assert c.get(f"/api/v1/recruitment/postings/{pid}").json()["title_en"] == "Backend dev"


def test_api_access(rec, api_token):
    p = rec.posting
    url = f"/api/v1/recruitment/postings/{p.public_id}"
    for user, company in ((rec.org.accountant, rec.company),
                          (rec.org.outsider_hr, rec.org.other_company)):  # fmt: skip
        c = _api(api_token, user, company)
        assert c.get("/api/v1/recruitment/postings").json()["items"] == []
        assert c.get(url).status_code == 404
        assert c.post(f"{url}/close").status_code == 404
        assert c.patch(url, json.dumps({"title": "X"}),
                       content_type="application/json").status_code == 404  # fmt: skip
    c = _api(api_token, rec.org.director, rec.company)  # reads, cannot write
    assert c.get(url).status_code == 200
    assert c.post(f"{url}/close").status_code == 403
    resp = c.post("/api/v1/recruitment/postings", json.dumps({"title": "X"}),
                  content_type="application/json")  # fmt: skip
    assert resp.status_code == 403
    p.refresh_from_db()
    assert p.state == PostingState.PUBLISHED
    assert JobPosting.objects.count() == 1


# --- CLI ------------------------------------------------------------------------------------
def test_cli_list_publish_close(rec):
    from backoffice.cli import main

    run = CliRunner().invoke
    code = rec.company.code
    result = run(main, ["recruitment", "postings", "close", "--company", code, rec.posting.slug,
                        "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["state"] == "closed"
    result = run(main, ["recruitment", "postings", "publish", "--company", code,
                        str(rec.posting.public_id), "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rec.posting.refresh_from_db()
    assert rec.posting.state == PostingState.PUBLISHED
    result = run(main, ["recruitment", "postings", "publish", "--company", code, rec.posting.slug])
    assert result.exit_code != 0
    assert "already published" in result.output
    result = run(main, ["recruitment", "postings", "list", "--company", code, "--format", "json"])
    assert [r["slug"] for r in json.loads(result.output)] == [rec.posting.slug]
    result = run(main, ["recruitment", "postings", "close", "--company", code, "khong-co"])
    assert result.exit_code != 0

"""The public careers pages, the candidate's status link, the public API and
the desk's "Add candidate" page."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backoffice.core.models import RateLimitCounter
from backoffice.records.models import Document
from backoffice.recruitment.models import Application, Candidate, Interview, JobPosting
from backoffice.recruitment.services import applications as svc
from backoffice.recruitment.tests.test_careers_cvs import upload

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def posting_of(company, slug, title, **kw):
    fields = {"state": "published", "published_at": timezone.now(), "province": "01",
              "employment_type": "full_time"}  # fmt: skip
    fields.update(kw)
    return JobPosting.objects.create(company=company, slug=slug, title=title, **fields)


def form(**kw):
    data = {"full_name": "Trần Văn Bình", "email": "binh@example.vn", "phone": "0912345678",
            "consent": "1", "cover_letter": "Xin chào", "cv": upload("pdf")}  # fmt: skip
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def apply_url(rec, posting=None):
    p = posting or rec.posting
    return reverse("careers:apply", args=[rec.company.code, p.slug])


def stored() -> int:
    return Candidate.objects.count() + Application.objects.count() + Document.objects.count()


# --- listing ---------------------------------------------------------------------------


def test_company_page_lists_only_its_open_postings(rec):
    c, other = rec.company, rec.org.other_company
    posting_of(c, "old", "EXPIRED-JOB", deadline=timezone.localdate() - dt.timedelta(days=1))
    posting_of(c, "closed", "CLOSED-JOB", state="closed")
    posting_of(c, "draft", "DRAFT-JOB", state="draft")
    posting_of(other, "b-job", "COMPANY-B-JOB")
    client = Client()
    body = client.get(reverse("careers:company", args=[c.code]), **EN).content.decode()
    assert "Python developer" in body  # English title on the English page
    for hidden in ("EXPIRED-JOB", "CLOSED-JOB", "DRAFT-JOB", "COMPANY-B-JOB"):
        assert hidden not in body
    vi = client.get(reverse("careers:company", args=[c.code])).content.decode()
    assert "Lập trình viên Python" in vi
    assert 'lang="vi"' in vi
    # company B's page shows B's job and none of A's
    body_b = client.get(reverse("careers:company", args=[other.code])).content.decode()
    assert "COMPANY-B-JOB" in body_b
    assert "Lập trình viên Python" not in body_b
    # B's posting under A's address does not exist
    assert client.get(reverse("careers:posting", args=[c.code, "b-job"])).status_code == 404
    for slug in ("old", "closed", "draft"):
        assert client.get(reverse("careers:posting", args=[c.code, slug])).status_code == 404
    assert client.get(reverse("careers:company", args=["nope"])).status_code == 404


def test_search_and_filters(rec):
    c = rec.company
    posting_of(c, "ke-toan", "Kế toán tổng hợp", province="01", employment_type="part_time")
    client = Client()
    url = reverse("careers:company", args=[c.code])

    def titles(**params):
        body = client.get(url, params).content.decode()
        return set(re.findall(r"<h3>([^<]+)</h3>", body))

    assert titles() == {"Lập trình viên Python", "Kế toán tổng hợp"}
    assert titles(q="ke toan") == {"Kế toán tổng hợp"}  # without diacritics
    assert titles(q="Python") == {"Lập trình viên Python"}
    assert titles(province="79") == {"Lập trình viên Python"}
    assert titles(type="part_time") == {"Kế toán tổng hợp"}
    assert titles(department=rec.org.sales.code) == {"Lập trình viên Python"}


def test_index_redirects_to_the_only_company(rec):
    response = Client().get(reverse("careers:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("careers:company", args=[rec.company.code])
    posting_of(rec.org.other_company, "b-job", "COMPANY-B-JOB")
    body = Client().get(reverse("careers:index")).content.decode()
    assert rec.company.name in body
    assert rec.org.other_company.name in body


def test_posting_page_has_valid_jobposting_jsonld(rec):
    response = Client().get(reverse("careers:posting", args=[rec.company.code, rec.posting.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    raw = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', body, re.S)
    data = json.loads(raw.group(1))
    assert data["@context"].startswith("https://schema.org")
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Lập trình viên Python"
    assert "back office" in data["description"]
    assert data["datePosted"] == timezone.localdate().isoformat()
    assert data["validThrough"].startswith(rec.posting.deadline.isoformat())
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"] == {"@type": "Organization", "name": rec.company.name}
    address = data["jobLocation"]["address"]
    assert address["addressCountry"] == "VN"
    assert "Hồ Chí Minh" in address["addressRegion"]
    salary = data["baseSalary"]
    assert salary["@type"] == "MonetaryAmount"
    assert salary["currency"] == "VND"
    assert salary["value"]["minValue"] == 12_000_000
    assert salary["value"]["maxValue"] == 18_000_000
    # the apply form with its honeypot and the consent box
    assert 'name="website"' in body
    assert 'name="consent"' in body
    assert "12.000.000" in body  # amounts as 1.234.567 ₫


def test_jsonld_without_salary_when_negotiable_and_script_safe(rec):
    posting = rec.posting
    posting.salary_negotiable = True
    posting.title = "Dev </script><script>alert(1)</script>"
    posting.save()
    body = Client().get(reverse("careers:posting", args=[rec.company.code, posting.slug]))
    text = body.content.decode()
    assert "<script>alert(1)" not in text
    raw = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', text, re.S)
    data = json.loads(raw.group(1))
    assert "baseSalary" not in data
    assert data["title"].startswith("Dev </script>")


# --- applying on the page -----------------------------------------------------------------


def test_apply_on_the_page_and_follow_the_status_link(rec, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(rec), form(), **EN)
    assert response.status_code == 200, response.content.decode()[:2000]
    body = response.content.decode()
    link = re.search(r'href="(/careers/status/[^"]+/)"', body).group(1)
    app = Application.objects.get()
    assert app.candidate.full_name == "Trần Văn Bình"
    status = client.get(link, **EN).content.decode()
    assert "Received" in status
    assert "Python developer" in status
    # another token shows nothing, and no other application is ever shown
    other_cand = Candidate.objects.create(company=rec.company, full_name="OTHER-PERSON")
    now = timezone.now()
    Application.objects.create(company=rec.company, candidate=other_cand, posting=rec.posting,
                               stage=rec.stages["new"], applied_at=now, stage_entered_at=now,
                               status_token_hash=svc.token_hash("other-token"))  # fmt: skip
    assert "OTHER-PERSON" not in status
    # the page of a private link is never cached; upcoming interviews are shown
    assert "no-store" in client.get(link)["Cache-Control"]
    start = timezone.localtime() + dt.timedelta(days=2)
    Interview.objects.create(company=rec.company, application=app, title="PV", mode="online",
                             starts_at=start, ends_at=start + dt.timedelta(hours=1),
                             online_link="https://meet.example.vn/abc")  # fmt: skip
    status = client.get(link, **EN).content.decode()
    assert start.strftime("%d/%m/%Y %H:%M") in status
    assert "https://meet.example.vn/abc" in status
    miss = client.get(reverse("careers:status", args=["x" * 43]), **EN)
    assert miss.status_code == 404
    assert "Trần Văn Bình" not in miss.content.decode()
    # withdraw from the link
    response = client.post(link, {"action": "withdraw"}, **EN)
    assert response.status_code == 200
    assert "withdrawn" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "withdrawn"


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"consent": None}, 422, "consent"),
        ({"cv": None}, 422, "cv"),
        ({"email": "sai"}, 422, "email"),
    ],
)
def test_refused_form_stores_nothing(rec, data, status, field):
    response = Client().post(apply_url(rec), form(**data), **EN)
    assert response.status_code == status
    assert stored() == 0


def test_bad_file_type_on_the_page(rec):
    bad = upload("pdf", name="virus.exe", data=b"MZ" + b"\x00" * 50)
    response = Client().post(apply_url(rec), form(cv=bad), **EN)
    assert response.status_code == 422
    assert "PDF or DOCX" in response.content.decode()
    assert stored() == 0


def test_honeypot_filled_stores_nothing(rec):
    response = Client().post(apply_url(rec), form(website="http://spam.example"), **EN)
    assert response.status_code == 200
    assert "status-link" not in response.content.decode()
    assert stored() == 0


def test_spam_burst_is_throttled_and_stores_nothing(rec):
    client = Client()
    for _ in range(svc.RATE_LIMIT):  # a burst of refused (consent-less) posts
        assert client.post(apply_url(rec), form(consent=None), **EN).status_code == 422
    response = client.post(apply_url(rec), form(), **EN)
    assert response.status_code == 429
    assert "Too many applications" in response.content.decode()
    assert stored() == 0
    assert RateLimitCounter.objects.filter(scope=svc.RATE_SCOPE).exists()
    # another address is not throttled
    ok = Client(REMOTE_ADDR="10.1.2.3").post(apply_url(rec), form(), **EN)
    assert ok.status_code == 200
    assert Application.objects.count() == 1


def test_closed_posting_cannot_be_applied_to_on_the_page(rec):
    JobPosting.objects.filter(pk=rec.posting.pk).update(state="closed")
    response = Client().post(apply_url(rec), form(), **EN)
    assert response.status_code == 404
    assert stored() == 0


# --- the public API ----------------------------------------------------------------------


def api(path):
    return f"/api/v1/recruitment/public{path}"


def test_api_lists_open_postings_without_login(rec):
    posting_of(rec.org.other_company, "b-job", "COMPANY-B-JOB")
    posting_of(rec.company, "closed", "CLOSED-JOB", state="closed")
    client = Client()
    response = client.get(api(f"/{rec.company.code}/postings"))
    assert response.status_code == 200
    data = response.json()
    assert [p["slug"] for p in data["items"]] == ["lap-trinh-vien-python"]
    assert data["items"][0]["salary_min"] == 12_000_000
    assert "COMPANY-B-JOB" not in response.content.decode()
    one = client.get(api(f"/{rec.company.code}/postings/lap-trinh-vien-python")).json()
    assert one["json_ld"]["@type"] == "JobPosting"
    assert client.get(api(f"/{rec.company.code}/postings/closed")).status_code == 404
    assert client.get(api(f"/{rec.company.code}/postings/b-job")).status_code == 404
    assert client.get(api("/nope/postings")).status_code == 404
    filtered = client.get(api(f"/{rec.company.code}/postings"), {"q": "khong co"}).json()
    assert filtered["items"] == []


def test_api_apply_multipart_and_its_limit(rec):
    client = Client()
    url = api(f"/{rec.company.code}/postings/lap-trinh-vien-python/applications")
    response = client.post(url, form(consent="true", cv=upload("docx")))
    assert response.status_code == 201, response.content
    data = response.json()
    assert svc.application_by_token(data["status_token"]).public_id.hex == data["id"].replace(
        "-", ""
    )
    assert data["status_url"].endswith(f"/careers/status/{data['status_token']}/")
    refused = client.post(url, form(consent="false", email="x@example.vn"))
    assert refused.status_code == 422
    assert refused.json()["code"] == "consent_required"
    codes = [client.post(url, form(email=f"y{i}@example.vn")).status_code for i in range(4)]
    assert codes == [201, 201, 201, 429]  # 5 per 10 minutes per address
    last = client.post(url, form(email="z@example.vn"))
    assert last.status_code == 429
    assert last.json()["code"] == "rate_limited"
    assert Application.objects.count() == 4
    assert not Candidate.objects.filter(email_index=svc.email_index("z@example.vn")).exists()


def test_api_operations_are_public():
    """``auth=None`` on every operation: no authentication callback runs (the
    API's default is a token or the desk session)."""
    from backoffice.recruitment.api.public import router

    ops = [op for view in router.path_operations.values() for op in view.operations]
    assert len(ops) == 3
    assert all(op.auth_param is None and not op.auth_callbacks for op in ops)


# --- the desk's "Add candidate" ----------------------------------------------------------


def test_desk_add_candidate(rec, desk_login):
    url = reverse("recruitment:candidate_add")
    org = rec.org
    for user, company in ((org.manager, rec.company), (org.accountant, rec.company),
                          (org.outsider_hr, org.other_company)):  # fmt: skip
        client = desk_login(Client(), user, company)
        page = client.get(url)
        if user == org.outsider_hr:  # HR of company B: B's page, none of A's postings
            assert page.status_code == 200
            assert "Lập trình viên Python" not in page.content.decode()
        else:
            assert page.status_code in (302, 403)
        client.post(url, {"posting": str(rec.posting.public_id), "full_name": "X",
                          "email": "x@example.vn", "source": "referral", "consent": "on",
                          "cv": upload("pdf")})  # fmt: skip
    assert stored() == 0
    client = desk_login(Client(), org.hr_officer, rec.company)
    page = client.get(url, **EN)
    assert page.status_code == 200
    assert "Lập trình viên Python" in page.content.decode()
    response = client.post(url, {
        "posting": str(rec.posting.public_id), "full_name": "Phạm Giới Thiệu",
        "email": "gt@example.vn", "phone": "", "source": "referral",
        "source_detail": "Nguyễn Thị Lan", "consent": "on", "cv": upload("docx"),
    }, **EN)  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    app = Application.objects.get()
    assert app.source == "referral"
    assert app.source_detail == "Nguyễn Thị Lan"
    assert app.created_by == org.hr_officer
    # without consent: refused, nothing more stored
    response = client.post(url, {
        "posting": str(rec.posting.public_id), "full_name": "Không Đồng Ý",
        "email": "no@example.vn", "source": "job_board", "cv": upload("pdf"),
    }, **EN)  # fmt: skip
    assert response.status_code == 400
    assert Application.objects.count() == 1

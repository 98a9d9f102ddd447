"""Desk pages (board, candidates, candidate and application detail) and the
staff API of the pipeline: what works, and who sees what — HR sees all, the
hiring manager only their posting's applications, staff without permission
and company B nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from backoffice.recruitment.models import Application, JobPosting
from backoffice.recruitment.services.pipeline import application_screen
from backoffice.recruitment.tests.cvs import VI_JUNIOR, make_application

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def world(rec):
    """Two applications on the fixture's posting (hiring manager: org.manager) and
    one on a second posting managed by nobody of the tests."""
    a1 = make_application(rec)
    a2 = make_application(rec, name="Trần Thị Hương", email="huong@x.vn", phone="0987654321",
                          cv_text=VI_JUNIOR)  # fmt: skip
    other = JobPosting.objects.create(company=rec.company, slug="ke-toan", title="Kế toán viên",
                                      state="published")  # fmt: skip
    a3 = make_application(rec, name="Lê Kế Toán", email="kt@x.vn", phone="0977777777",
                          posting=other, cv_text="Kế toán tổng hợp")  # fmt: skip
    for app in (a1, a2):
        application_screen(application=app)
    rec.apps = (a1, a2, a3)
    rec.other_posting = other
    return rec


def _desk(desk_login, user, company):
    return desk_login(Client(), user, company)


def test_board_renders_columns_cards_and_script(world, desk_login):
    c = _desk(desk_login, world.org.hr_officer, world.company)
    r = c.get(reverse("recruitment:board", args=[world.posting.public_id]), **EN)
    assert r.status_code == 200
    html = r.content.decode()
    assert "recruitment/board.js" in html
    assert "<script>" not in html
    assert 'draggable="true"' in html
    assert "Nguyễn Văn Minh" in html
    assert "Trần Thị Hương" in html
    assert "Lê Kế Toán" not in html  # another posting
    assert html.count('class="board-column') == 6
    assert "bulk-reject-form" in html


def test_board_move_json_and_fallback_form(world, desk_login):
    a1, a2, _a3 = world.apps
    c = _desk(desk_login, world.org.hr_officer, world.company)
    url = reverse("recruitment:board", args=[world.posting.public_id])
    screening = world.stages["screening"]
    r = c.post(url, {"op": "move", "application": a1.public_id, "stage": screening.public_id},
               HTTP_X_REQUESTED_WITH="XMLHttpRequest", **EN)  # fmt: skip
    assert r.status_code == 200
    assert r.json()["ok"]
    a1.refresh_from_db()
    assert a1.stage == screening
    r = c.post(url, {"op": "move", "application": a1.public_id,
                     "stage": world.stages["hired"].public_id},
               HTTP_X_REQUESTED_WITH="XMLHttpRequest", **EN)  # fmt: skip
    assert r.status_code == 400
    assert "offer" in r.json()["error"].lower()
    r = c.post(url, {"op": "reject", "application": a1.public_id, "reason": ""},
               HTTP_X_REQUESTED_WITH="XMLHttpRequest", **EN)  # fmt: skip
    assert r.status_code == 400
    # The no-JS form: redirect back to the board.
    r = c.post(url, {"op": "move", "application": a2.public_id,
                     "stage": world.stages["interview"].public_id}, **EN)  # fmt: skip
    assert r.status_code == 302
    assert r.url == url
    a2.refresh_from_db()
    assert a2.stage == world.stages["interview"]


def test_board_bulk_reject(world, desk_login):
    a1, a2, a3 = world.apps
    c = _desk(desk_login, world.org.hr_officer, world.company)
    url = reverse("recruitment:board", args=[world.posting.public_id])
    # An application of another posting cannot ride along.
    r = c.post(url, {"op": "bulk_reject", "applications": [a1.public_id, a3.public_id],
                     "reason": "Đủ người"}, **EN)  # fmt: skip
    assert r.status_code == 302
    assert Application.objects.filter(state="rejected").count() == 0
    r = c.post(url, {"op": "bulk_reject", "applications": [a1.public_id, a2.public_id],
                     "reason": "Đủ người"}, **EN)  # fmt: skip
    assert Application.objects.filter(state="rejected").count() == 2


def test_application_and_candidate_pages(world, desk_login):
    a1, a2, _a3 = world.apps
    c = _desk(desk_login, world.org.hr_officer, world.company)
    r = c.get(reverse("recruitment:application_detail", args=[a1.public_id]), **EN)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="application-score">100<' in html
    assert "Tiếng Anh: IELTS 6.5" in html  # the evidence, with its diacritics
    assert 'id="application-interviews"' in html  # the interviews area's panel
    assert 'id="application-offers"' in html  # the offers area's panel
    assert "At least 3 years of experience" in html
    assert "application-reject" in html
    r = c.get(reverse("recruitment:application_detail", args=[a2.public_id]), **EN)
    assert "screening-missing" in r.content.decode()
    r = c.get(reverse("recruitment:candidates") + "?q=hương", **EN)
    assert r.status_code == 200
    assert "Trần Thị Hương" in r.content.decode()
    assert "Nguyễn Văn Minh" not in r.content.decode()
    r = c.get(reverse("recruitment:candidate_detail", args=[a1.candidate.public_id]), **EN)
    assert r.status_code == 200
    assert "Lập trình viên Python" in r.content.decode()


def test_merge_from_candidate_page(world, desk_login):
    a1, _a2, _a3 = world.apps
    dup = make_application(world, name="Minh Nguyễn", phone="0900000000")  # same e-mail
    c = _desk(desk_login, world.org.hr_officer, world.company)
    url = reverse("recruitment:candidate_detail", args=[a1.candidate.public_id])
    html = c.get(url, **EN).content.decode()
    assert "Minh Nguyễn" in html
    assert "same e-mail" in html
    assert "merge-button" in html
    r = c.post(url, {"duplicate": dup.candidate.public_id}, **EN)
    assert r.status_code == 302
    dup.refresh_from_db()
    assert dup.candidate == a1.candidate


def test_application_actions(world, desk_login):
    a1, _a2, _a3 = world.apps
    c = _desk(desk_login, world.org.hr_officer, world.company)
    url = reverse("recruitment:application_detail", args=[a1.public_id])
    r = c.post(url, {"op": "move", "stage": world.stages["interview"].public_id}, **EN)
    assert r.status_code == 302
    a1.refresh_from_db()
    assert a1.stage == world.stages["interview"]
    r = c.post(url, {"op": "reject", "reason": "Lương kỳ vọng quá cao"}, **EN)
    a1.refresh_from_db()
    assert a1.state == "rejected"
    assert a1.rejection_reason == "Lương kỳ vọng quá cao"


def test_hiring_manager_sees_only_their_posting(world, desk_login):
    a1, _a2, a3 = world.apps
    c = _desk(desk_login, world.org.manager, world.company)
    r = c.get(reverse("recruitment:board", args=[world.posting.public_id]), **EN)
    assert r.status_code == 200
    assert "Nguyễn Văn Minh" in r.content.decode()
    assert 'draggable="true"' not in r.content.decode()  # read-only
    assert (
        c.get(reverse("recruitment:board", args=[world.other_posting.public_id])).status_code == 404
    )
    assert c.get(reverse("recruitment:application_detail", args=[a1.public_id])).status_code == 200
    assert c.get(reverse("recruitment:application_detail", args=[a3.public_id])).status_code == 404
    html = c.get(reverse("recruitment:candidates"), **EN).content.decode()
    assert reverse("recruitment:board", args=[world.posting.public_id]) in html
    assert reverse("recruitment:board", args=[world.other_posting.public_id]) not in html
    assert "Nguyễn Văn Minh" in html
    assert "Lê Kế Toán" not in html
    # Seeing is not moving.
    r = c.post(reverse("recruitment:board", args=[world.posting.public_id]),
               {"op": "move", "application": a1.public_id,
                "stage": world.stages["screening"].public_id})  # fmt: skip
    assert r.status_code == 403
    a1.refresh_from_db()
    assert a1.stage == world.stages["new"]


@pytest.mark.parametrize("who", ["staff", "accountant", "director", "outsider_hr"])
def test_others_see_nothing_on_the_desk(world, desk_login, who):
    a1, _a2, _a3 = world.apps
    user = getattr(world.org, who)
    company = world.org.other_company if who == "outsider_hr" else world.company
    c = _desk(desk_login, user, company)
    for url in (reverse("recruitment:board", args=[world.posting.public_id]),
                reverse("recruitment:application_detail", args=[a1.public_id]),
                reverse("recruitment:candidate_detail", args=[a1.candidate.public_id])):  # fmt: skip
        r = c.get(url)
        assert r.status_code in (403, 404), url
        assert "Nguyễn Văn Minh" not in r.content.decode()
    r = c.get(reverse("recruitment:candidates"))
    assert r.status_code in (200, 403)
    assert "Nguyễn Văn Minh" not in r.content.decode()


def _api(api_token, user, company):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}")


def test_api_lists_details_and_actions(world, api_token):
    a1, a2, a3 = world.apps
    api = _api(api_token, world.org.hr_officer, world.company)
    base = "/api/v1/recruitment"
    r = api.get(f"{base}/applications", {"posting_id": str(world.posting.public_id)})
    assert r.status_code == 200
    assert {x["candidate_name"] for x in r.json()["items"]} == {"Nguyễn Văn Minh", "Trần Thị Hương"}
    r = api.get(f"{base}/applications/{a1.public_id}")
    assert r.status_code == 200
    assert r.json()["score"] == 100
    assert r.json()["history"]
    r = api.get(f"{base}/applications/{a2.public_id}/screening")
    assert r.status_code == 200
    assert {"kind": "skill", "requirement": "Python", "found": ""} in (r.json()["missing"])
    r = api.post(f"{base}/applications/{a1.public_id}/move",
                 {"stage_id": str(world.stages["screening"].public_id)},
                 content_type="application/json")  # fmt: skip
    assert r.status_code == 200
    assert r.json()["stage_kind"] == "screening"
    r = api.post(f"{base}/applications/{a1.public_id}/reject", {"reason": "Không phù hợp"},
                 content_type="application/json")  # fmt: skip
    assert r.status_code == 200
    assert r.json()["state"] == "rejected"
    r = api.post(f"{base}/applications/bulk-reject",
                 {"application_ids": [str(a2.public_id), str(a3.public_id)], "reason": "Đủ"},
                 content_type="application/json")  # fmt: skip
    assert r.status_code == 200
    assert r.json() == {"rejected": 2}
    r = api.get(f"{base}/candidates", {"q": "Minh"})
    assert [x["full_name"] for x in r.json()["items"]] == ["Nguyễn Văn Minh"]
    r = api.get(f"{base}/candidates/{a1.candidate.public_id}")
    assert r.status_code == 200
    assert r.json()["email"] == "minh.nguyen@gmail.com"
    assert api.get(f"{base}/stages").status_code == 200


def test_api_merge(world, api_token):
    a1 = world.apps[0]
    dup = make_application(world, name="Minh N.", phone="0900000001")
    api = _api(api_token, world.org.hr_officer, world.company)
    r = api.post(f"/api/v1/recruitment/candidates/{a1.candidate.public_id}/merge",
                 {"duplicate_id": str(dup.candidate.public_id)},
                 content_type="application/json")  # fmt: skip
    assert r.status_code == 200
    assert len(r.json()["applications"]) == 2


def test_api_scoping(world, api_token):
    a1, _a2, a3 = world.apps
    base = "/api/v1/recruitment"
    mgr = _api(api_token, world.org.manager, world.company)
    names = {x["candidate_name"] for x in mgr.get(f"{base}/applications").json()["items"]}
    assert names == {"Nguyễn Văn Minh", "Trần Thị Hương"}
    assert mgr.get(f"{base}/applications/{a3.public_id}").status_code == 404
    r = mgr.post(f"{base}/applications/{a1.public_id}/move",
                 {"stage_id": str(world.stages["screening"].public_id)},
                 content_type="application/json")  # fmt: skip
    assert r.status_code == 403
    for user, company in ((world.org.staff, world.company),
                          (world.org.outsider_hr, world.org.other_company)):  # fmt: skip
        api = _api(api_token, user, company)
        assert api.get(f"{base}/applications").json()["items"] == []
        assert api.get(f"{base}/candidates").json()["items"] == []
        assert api.get(f"{base}/applications/{a1.public_id}").status_code == 404
        assert api.get(f"{base}/candidates/{a1.candidate.public_id}").status_code == 404
        r = api.post(f"{base}/applications/{a1.public_id}/reject", {"reason": "x"},
                     content_type="application/json")  # fmt: skip
        assert r.status_code == 404

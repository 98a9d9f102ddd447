"""Recruitment settings: pipeline stages (exactly one active hired and one
rejected stage), default e-mail templates in Vietnamese and English, meeting
rooms; the settings page; the sidebar group."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.recruitment.models import Application, Candidate, EmailTemplate, Room, Stage
from backoffice.recruitment.services import settings as svc

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _active(company):
    return list(Stage.objects.filter(company=company, is_active=True).order_by("order", "id"))


def test_stage_rename_reorder_add(rec):
    hr = rec.org.hr_officer
    s = rec.stages["screening"]
    svc.stage_update(actor=hr, stage=s, name="Sàng lọc CV", name_en="CV screening",
                     reminder_days=2)  # fmt: skip
    s.refresh_from_db()
    assert (s.name, s.name_en, s.reminder_days) == ("Sàng lọc CV", "CV screening", 2)
    added = svc.stage_add(actor=hr, company=rec.company, kind="interview",
                          name="Phỏng vấn vòng 2", name_en="Second interview")  # fmt: skip
    kinds = [x.kind for x in _active(rec.company)]
    assert kinds == ["new", "screening", "interview", "offer", "interview", "hired", "rejected"]
    svc.stage_move(actor=hr, stage=added, up=True)
    assert [x.name for x in _active(rec.company)][3] == "Phỏng vấn vòng 2"
    # an end stage stays last even when asked to move up
    svc.stage_move(actor=rec.org.hr_officer, stage=rec.stages["hired"], up=True)
    assert [x.kind for x in _active(rec.company)][-2:] == ["hired", "rejected"]


def test_end_stages_are_kept(rec):
    hr = rec.org.hr_officer
    for kind in ("hired", "rejected"):
        with pytest.raises(Conflict):
            svc.stage_set_active(actor=hr, stage=rec.stages[kind], active=False)
        with pytest.raises(Conflict):
            svc.stage_add(actor=hr, company=rec.company, kind=kind, name="Thêm")
    extra = Stage.objects.create(company=rec.company, kind="hired", name="Đã tuyển 2",
                                 is_active=False, order=99)  # fmt: skip
    with pytest.raises(Conflict):
        svc.stage_set_active(actor=hr, stage=extra, active=True)
    assert Stage.objects.filter(company=rec.company, kind="hired", is_active=True).count() == 1
    assert Stage.objects.filter(company=rec.company, kind="rejected", is_active=True).count() == 1


def test_deactivate_refused_while_in_use(rec):
    hr = rec.org.hr_officer
    cand = Candidate.objects.create(company=rec.company, full_name="Ứng Viên")
    now = timezone.now()
    Application.objects.create(company=rec.company, candidate=cand, posting=rec.posting,
                               stage=rec.stages["screening"], applied_at=now,
                               stage_entered_at=now)  # fmt: skip
    with pytest.raises(Conflict) as exc:
        svc.stage_set_active(actor=hr, stage=rec.stages["screening"], active=False)
    assert exc.value.code == "stage_in_use"
    s = svc.stage_set_active(actor=hr, stage=rec.stages["offer"], active=False)
    assert not s.is_active
    assert "offer" not in [x.kind for x in _active(rec.company)]
    s = svc.stage_set_active(actor=hr, stage=s, active=True)
    assert s.is_active


def test_refusals_change_nothing(rec):
    s = rec.stages["new"]
    before = Stage.objects.filter(company=rec.company).values().order_by("id")
    before = list(before)
    for user in (rec.org.director, rec.org.staff, rec.org.manager):
        with pytest.raises(PermissionDenied):
            svc.stage_update(actor=user, stage=s, name="X")
        with pytest.raises(PermissionDenied):
            svc.stage_add(actor=user, company=rec.company, kind="interview", name="X")
    with pytest.raises(PermissionDenied):
        svc.stage_update(actor=rec.org.outsider_hr, stage=s, name="X")
    with pytest.raises(ValidationFailed):
        svc.stage_update(actor=rec.org.hr_officer, stage=s, name="", name_en="New")
    with pytest.raises(ValidationFailed):
        svc.stage_update(actor=rec.org.hr_officer, stage=s, name="Mới", reminder_days=-1)
    with pytest.raises(ValidationFailed):
        svc.stage_add(actor=rec.org.hr_officer, company=rec.company, kind="nope", name="X")
    assert list(Stage.objects.filter(company=rec.company).values().order_by("id")) == before
    with pytest.raises(PermissionDenied):
        svc.room_save(actor=rec.org.staff, company=rec.company, name="P1")
    assert not Room.objects.exists()


def test_default_templates_vi_and_en(rec):
    made = svc.templates_ensure(company=rec.company)
    assert made == 10
    assert svc.templates_ensure(company=rec.company) == 0
    vi = svc.template_for(rec.company, "confirmation", "vi")
    en = svc.template_for(rec.company, "confirmation", "en")
    assert vi.language == "vi"
    assert en.language == "en"
    assert "{status_link}" in en.body
    assert "{candidate_name}" in en.body
    assert "{job_title}" in en.subject
    hr = rec.org.hr_officer
    t = svc.template_save(actor=hr, company=rec.company, kind="stage", name="Mời làm bài test",
                          subject="Bài test: {job_title}", body="Chào {candidate_name}",
                          stage=rec.stages["screening"], auto_send=True)  # fmt: skip
    assert svc.template_for(rec.company, "stage", "vi", stage=rec.stages["screening"]) == t
    assert svc.template_for(rec.company, "stage", "vi", stage=rec.stages["offer"]) != t
    with pytest.raises(ValidationFailed):
        svc.template_save(actor=hr, company=rec.company, kind="rejection", name="X",
                          subject="X", body="X", auto_send=True)  # fmt: skip
    with pytest.raises(ValidationFailed):
        svc.template_save(actor=hr, company=rec.company, kind="rejection", name="X",
                          subject="X", body="")  # fmt: skip
    svc.template_delete(actor=hr, template=t)
    assert not EmailTemplate.objects.filter(pk=t.pk).exists()


def test_rooms(rec):
    hr = rec.org.hr_officer
    r = svc.room_save(actor=hr, company=rec.company, name="Phòng họp 1", location="Tầng 3",
                      capacity=8)  # fmt: skip
    with pytest.raises(Conflict):
        svc.room_save(actor=hr, company=rec.company, name="phòng họp 1")
    with pytest.raises(ValidationFailed):
        svc.room_save(actor=hr, company=rec.company, name="P2", capacity=0)
    r = svc.room_save(actor=hr, company=rec.company, room=r, name="Phòng họp lớn", capacity=12,
                      is_active=False)  # fmt: skip
    assert (r.name, r.capacity, r.is_active) == ("Phòng họp lớn", 12, False)
    assert svc.room_list(rec.company, active_only=True) == []


# --- desk -----------------------------------------------------------------------------------
def test_settings_page(rec, desk_login):
    c = desk_login(Client(), rec.org.hr_manager, rec.company)
    page = c.get("/desk/recruitment/settings/", **EN).content.decode()
    assert "stage-table" in page
    assert "Application received" in page
    s = rec.stages["interview"]
    c.post("/desk/recruitment/settings/", {"op": "stage_save", "stage": s.public_id,
                                           "name": "Phỏng vấn chuyên môn", "name_en": "Tech",
                                           "reminder_days": "4"})  # fmt: skip
    s.refresh_from_db()
    assert s.name == "Phỏng vấn chuyên môn"
    assert s.reminder_days == 4
    c.post("/desk/recruitment/settings/", {"op": "stage_add", "kind": "screening",
                                           "name": "Bài test", "reminder_days": "2"})  # fmt: skip
    assert Stage.objects.filter(company=rec.company, name="Bài test").exists()
    resp = c.post("/desk/recruitment/settings/",
                  {"op": "stage_deactivate", "stage": rec.stages["hired"].public_id},
                  follow=True, **EN)  # fmt: skip
    assert b"cannot be deactivated" in resp.content
    c.post("/desk/recruitment/settings/", {"op": "room_save", "name": "Phòng A",
                                           "capacity": "6"})  # fmt: skip
    room = Room.objects.get(company=rec.company)
    assert room.capacity == 6
    assert room.is_active
    t = EmailTemplate.objects.get(company=rec.company, kind="rejection", language="vi")
    c.post("/desk/recruitment/settings/", {
        "op": "template_save", "template": t.public_id, "kind": "rejection", "language": "vi",
        "name": "Từ chối", "subject": "Kết quả ứng tuyển {job_title}", "body": "Xin lỗi",
    })  # fmt: skip
    t.refresh_from_db()
    assert t.subject == "Kết quả ứng tuyển {job_title}"
    assert t.body == "Xin lỗi"


def test_settings_access(rec, desk_login):
    s = rec.stages["new"]
    for user in (rec.org.director, rec.org.staff, rec.org.analyst):
        c = desk_login(Client(), user, rec.company)
        assert c.get("/desk/recruitment/settings/").status_code == 403
        c.post("/desk/recruitment/settings/", {"op": "stage_save", "stage": s.public_id,
                                               "name": "Hack"})  # fmt: skip
    # another company's HR cannot touch company A's stage (not found in their company)
    c = desk_login(Client(), rec.org.outsider_hr, rec.org.other_company)
    resp = c.post("/desk/recruitment/settings/", {"op": "stage_save", "stage": s.public_id,
                                                  "name": "Hack"}, follow=True, **EN)  # fmt: skip
    assert b"not found" in resp.content
    s.refresh_from_db()
    assert s.name != "Hack"


def test_sidebar_group(rec, desk_login):
    c = desk_login(Client(), rec.org.hr_officer, rec.company)
    page = c.get("/desk/recruitment/requisitions/", **EN).content.decode()
    assert "Recruitment" in page
    for url in ("/desk/recruitment/requisitions/", "/desk/recruitment/postings/",
                "/desk/recruitment/settings/"):  # fmt: skip
        assert f'href="{url}"' in page
    c = desk_login(Client(), rec.org.accountant, rec.company)
    page = c.get("/desk/", **EN).content.decode()
    assert 'href="/desk/recruitment/requisitions/"' not in page
    assert 'href="/desk/recruitment/settings/"' not in page


def test_role_matrix(rec, make_user, desk_login, api_token):
    """Every default role: the requisition, posting and settings pages open
    exactly for the roles granted them; the API lists are empty for the others."""
    from backoffice.core.enums import Role
    from backoffice.core.permissions import ROLE_GRANTS

    pages = {
        "/desk/recruitment/requisitions/": {"recruitment.view_requisition",
                                            "recruitment.manage_requisition"},
        "/desk/recruitment/postings/": {"recruitment.manage_posting",
                                        "recruitment.view_requisition"},
        "/desk/recruitment/settings/": {"recruitment.manage_settings"},
    }  # fmt: skip
    apis = {
        "/api/v1/recruitment/requisitions": {"recruitment.view_requisition"},
        "/api/v1/recruitment/postings": {"recruitment.manage_posting",
                                         "recruitment.view_requisition"},
    }  # fmt: skip
    for role in Role.values:
        user = make_user(rec.company, roles=[role], email=f"m-{role}@example.vn")
        grants = set(ROLE_GRANTS.get(role, set()))
        c = desk_login(Client(), user, rec.company)
        for url, perms in pages.items():
            expected = 200 if grants & perms else 403
            assert c.get(url).status_code == expected, (role, url)
        api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, rec.company)}")
        for url, perms in apis.items():
            items = api.get(url).json()["items"]
            assert bool(items) == bool(grants & perms), (role, url)

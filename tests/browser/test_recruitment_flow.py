"""From the careers page to onboarding in a real browser (issue 7): a candidate
applies on the public careers page with a PDF CV (on a phone); the HR officer
drags the card to "screening" on the pipeline board, moves the application
to "interview" from its page, schedules an interview in a proposed free slot,
makes an offer (within the range: approved at once), sends the letter,
records the acceptance and hires; the new employee's onboarding tasks appear
in the IT officer's "My work".

Same setup as the other browser tests: Debian's chromium through Playwright
against pytest-django's ``live_server``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kh0ng-doan-duoc!"
CANDIDATE = "Phạm Thị Thu Trang"


@pytest.fixture
def world(make_company, make_user):
    from django.utils import timezone

    from backoffice.core import hooks
    from backoffice.core.enums import Role
    from backoffice.core.models import Department, Membership, Position
    from backoffice.hr.models import Employee
    from backoffice.recruitment.models import JobPosting, JobRequisition

    a = make_company("TDCO", name="Công ty TNHH Sen Vàng")
    # what `company create` installs: stages, templates, policies, checklists ...
    hooks.company_created(company=a, actor=None)
    hr = make_user(a, roles=[Role.HR_OFFICER], email="ns@senvang.vn", full_name="Lê Thị Nhân Sự")
    it = make_user(a, roles=[Role.IT_OFFICER], email="it@senvang.vn", full_name="Đỗ Công Nghệ")
    boss = make_user(a, roles=[Role.EMPLOYEE], email="tp@senvang.vn", full_name="Trần Trưởng")
    dept = Department.objects.create(company=a, code="CNTT", name="Phòng CNTT", manager=boss)
    pos = Position.objects.create(company=a, code="LTV", name="Lập trình viên", department=dept)
    Membership.objects.filter(user=boss).update(department=dept)
    Employee.objects.create(company=a, user=boss, code="NV00001", full_name="Trần Trưởng",
                            department=dept, hire_date=dt.date(2019, 4, 1))  # fmt: skip
    req = JobRequisition.objects.create(
        company=a, number=f"YC{timezone.localdate().year}/0001", title="Lập trình viên Python",
        department=dept, position=pos, hiring_manager=boss, headcount=1,
        salary_min=Decimal(15_000_000), salary_max=Decimal(25_000_000), state="approved",
        approved_at=timezone.now(), created_by=hr,
    )  # fmt: skip
    posting = JobPosting.objects.create(
        company=a, requisition=req, slug="lap-trinh-vien-python", title="Lập trình viên Python",
        title_en="Python developer", description="Phát triển hệ thống nội bộ.",
        department=dept, province="79", salary_min=Decimal(15_000_000),
        salary_max=Decimal(25_000_000), deadline=timezone.localdate() + dt.timedelta(days=30),
        requirements={"skills": ["Python", "Django", "PostgreSQL"], "min_years": 2},
        state="published", published_at=timezone.now(), created_by=hr,
    )  # fmt: skip
    return {"a": a, "hr": hr, "it": it, "boss": boss, "req": req, "posting": posting}


def cv_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    pdf.add_font("DejaVu", "", font)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 12)
    for line in (CANDIDATE, "Lập trình viên Python — 4 năm kinh nghiệm",
                 "Kỹ năng: Python, Django, PostgreSQL, Git",
                 "Học vấn: Cử nhân Công nghệ thông tin"):  # fmt: skip
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def patient(page):
    """A long flow on a shared machine: more time per step than the default."""
    page.set_default_timeout(60_000)
    return page


def shot(page, name: str) -> None:
    """Screenshots for the user guide: BACKOFFICE_SCREENSHOTS=docs/user-guide/img."""
    import os

    folder = os.environ.get("BACKOFFICE_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def desk_log_in(page, user) -> None:
    page.goto("/desk/login/")
    page.fill("#login-form input[name=username]", user.email)
    page.fill("#login-form input[name=password]", PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/desk/$"))


def test_apply_pipeline_interview_offer_hire_onboarding(new_page, world, mailoutbox):
    from backoffice.hr.models import CaseTask, Employee
    from backoffice.recruitment.models import Application, Interview, Offer

    a, hr, it, posting = world["a"], world["hr"], world["it"], world["posting"]

    # Given a candidate on the careers page, on a phone
    phone = patient(new_page(width=390, height=844))
    phone.goto(f"/careers/{a.code}/{posting.slug}/")
    assert "Lập trình viên Python" in phone.locator("body").inner_text()
    # when they fill in the form, attach their PDF CV, consent and send
    form = phone.locator("#apply-form")
    form.locator("#id_full_name").fill(CANDIDATE)
    form.locator("#id_email").fill("trang.pham@example.vn")
    form.locator("#id_phone").fill("0912345678")
    form.locator("#id_cv").set_input_files(
        {"name": "cv-trang.pdf", "mimeType": "application/pdf", "buffer": cv_pdf()}
    )
    form.locator("#id_consent").check()
    shot(phone, "recruitment-apply")
    form.locator("#apply-submit").click()
    phone.wait_for_load_state()
    # then the application is in the first stage, with the CV's text screened
    app = Application.objects.get(company=a, candidate__full_name=CANDIDATE)
    assert app.stage.kind == "new"
    assert "Python" in (app.candidate.cv_text or "")
    assert any("trang.pham@example.vn" in m.to for m in mailoutbox)  # confirmation

    # When the HR officer drags the card to "screening" on the pipeline board
    page = patient(new_page())
    desk_log_in(page, hr)
    page.goto(f"/desk/recruitment/board/{posting.public_id}/")
    card = page.locator(f"#card-{app.public_id}")
    assert CANDIDATE in card.inner_text()
    card.drag_to(page.locator(".board-column[data-kind=screening]"))
    page.locator(f".board-column[data-kind=screening] #card-{app.public_id}").wait_for()
    shot(page, "recruitment-board")
    page.wait_for_timeout(500)  # the move's POST
    page.reload()
    page.locator(f".board-column[data-kind=screening] #card-{app.public_id}").wait_for()
    app.refresh_from_db()
    assert app.stage.kind == "screening"

    # and moves the application to "interview" from its page
    page.goto(f"/desk/recruitment/applications/{app.public_id}/")
    move = page.locator("form", has=page.locator("#application-move"))
    move.locator("select[name=stage]").select_option(value=_stage_id(a, "interview"))
    page.locator("#application-move").click()
    page.wait_for_load_state()
    app.refresh_from_db()
    assert app.stage.kind == "interview"

    # When they schedule an interview with the hiring manager in a proposed free slot
    page.locator("#application-schedule-interview").click()
    page.wait_for_url(re.compile(r"/interviews/new/"))
    page.locator("#interview-propose").click()
    page.wait_for_load_state()
    page.locator("#interview-slots input[name=slot]").first.check()
    shot(page, "recruitment-interview")
    page.locator("#interview-submit").click()
    page.wait_for_url(re.compile(r"/interviews/[0-9a-f-]{36}/$"))
    interview = Interview.objects.get(application=app)
    assert list(interview.interviewers.all()) == [world["boss"]]

    # The hiring manager, an employee without desk access, scores the candidate
    # on their phone from the link in the panel's invitation
    boss = world["boss"]
    boss.set_password(PASSWORD)
    boss.save()
    invitation = next(m for m in mailoutbox if boss.email in m.to)
    link = re.search(r"https?://\S+/portal/interviews/[0-9a-f-]{36}/", invitation.body).group(0)
    mobile = patient(new_page(width=390, height=844))
    mobile.goto("/portal/login/?next=" + urlsplit(link).path)
    mobile.fill("input[name=username]", boss.email)
    mobile.fill("input[name=password]", PASSWORD)
    mobile.locator("form button").first.click()
    mobile.wait_for_url(re.compile(r"/portal/interviews/[0-9a-f-]{36}/$"))
    card = mobile.locator("#scorecard-form")
    card.locator("#rating_0").select_option("4")
    card.locator("input[name=comment_0]").fill("Nắm vững Django, giao tiếp tốt")
    card.locator("#overall").select_option("4")
    card.locator("#recommendation").select_option("yes")
    shot(mobile, "recruitment-portal-scorecard")
    card.locator("#scorecard-submit").click()
    mobile.wait_for_load_state()
    assert "Nắm vững Django" in mobile.locator("#scorecards").inner_text()
    assert interview.scorecards.get().overall == 4

    # When they make an offer within the requisition's range
    page.goto(f"/desk/recruitment/applications/{app.public_id}/")
    page.locator("#application-offer-new").click()
    page.wait_for_url(re.compile(r"/offers/new/"))
    start = dt.date.today() + dt.timedelta(days=21)
    offer_form = page.locator("#offer-form")
    offer_form.locator("input[name=salary]").fill("20000000")
    offer_form.locator("input[name=start_date]").fill(start.isoformat())
    offer_form.locator("textarea[name=benefits]").fill("Lương tháng 13\nBảo hiểm sức khoẻ")
    shot(page, "recruitment-offer-new")
    page.locator("#offer-create").click()
    page.wait_for_url(re.compile(r"/offers/[0-9a-f-]{36}/$"))
    # approved at once (within the range), the letter sent, the acceptance recorded
    for button in ("#offer-submit", "#offer-send", "#offer-accept"):
        page.locator(button).click()
        page.wait_for_load_state()
    offer = Offer.objects.get(application=app)
    assert offer.state == "accepted"
    assert page.locator("#offer-letter").is_visible()
    # the candidate got the interview invitation (ICS) and the offer letter (PDF)
    attached = [a[2] for m in mailoutbox if "trang.pham@example.vn" in m.to for a in m.attachments]
    assert "text/calendar" in attached
    assert "application/pdf" in attached
    app.refresh_from_db()
    assert app.stage.kind == "offer"

    # When they hire
    shot(page, "recruitment-offer")
    page.locator("#offer-hire").click()
    page.wait_for_load_state()
    assert page.locator("#offer-employee").is_visible()
    app.refresh_from_db()
    assert app.state == "hired"
    assert app.stage.kind == "hired"
    employee = Employee.objects.get(pk=app.employee_id)
    assert employee.full_name == CANDIDATE
    assert employee.hire_date == start
    world["req"].refresh_from_db()
    assert world["req"].hired_count == 1
    assert world["req"].state == "filled"

    # Then the new employee's onboarding tasks wait for IT in "My work"
    it_tasks = CaseTask.objects.filter(case__employee=employee, area="it")
    assert it_tasks.exists()
    page_it = patient(new_page())
    desk_log_in(page_it, it)
    page_it.goto("/desk/workflow/mytask/overview/")
    body = page_it.locator("body").inner_text()
    shot(page_it, "recruitment-onboarding-tasks")
    for case_task in it_tasks:
        assert case_task.task.title in body


def _stage_id(company, kind: str) -> str:
    from backoffice.recruitment.services.stages import stage_of_kind

    return str(stage_of_kind(company, kind).public_id)

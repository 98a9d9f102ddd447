"""The desk in a real browser: login, two-factor, language, company switch.

Runs Debian's chromium through Playwright against pytest-django's
``live_server``. Playwright's sync API keeps an asyncio loop in this thread,
so Django would refuse the ORM calls of the fixtures and of the teardown
flush: ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set while this module's browser is
up, and only then.

Every page must load its static files (unfold's CSS and JS, backoffice.css,
progress.js) and run without JavaScript errors or CSP violations.

With ``BACKOFFICE_SCREENSHOTS=1`` the test also refreshes the user guide's
screenshots in ``docs/user-guide/img/``; normal runs leave them alone.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1280, "height": 800}
PASSWORD = "Kh0ng-doan-duoc!"
IMG_DIR = Path(__file__).resolve().parents[2] / "docs" / "user-guide" / "img"
SCREENSHOTS = os.environ.get("BACKOFFICE_SCREENSHOTS") == "1"


@pytest.fixture
def page(new_page):
    return new_page(width=VIEWPORT["width"], height=VIEWPORT["height"])


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        IMG_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(IMG_DIR / f"{name}.png"))


def log_in(page, email: str) -> None:
    page.goto("/desk/login/")
    page.fill("#login-form input[name=username]", email)
    page.fill("#login-form input[name=password]", PASSWORD)
    page.locator("#login-form button[type=submit]").click()


@pytest.fixture
def desk_data(make_company, make_user, totp_for):
    """Two companies; an accountant of A (two-factor required) who is HR officer in B."""
    from django.utils import timezone

    from backoffice.core.enums import JobStatus, Role
    from backoffice.core.models import Department, Job, Membership, Notification, Position

    a = make_company("ACO", name="Công ty TNHH Sao Mai")
    b = make_company("BCO", name="Công ty Cổ phần Bình Minh")
    user = make_user(
        a, roles=[Role.ACCOUNTANT], email="ke.toan@saomai.vn", full_name="Trần Thị Kế Toán"
    )
    Membership.objects.create(user=user, company=b, role=Role.HR_OFFICER)
    key = totp_for(user)

    root = Department.objects.create(company=a, code="BGD", name="Ban Giám đốc")
    for code, name in [("KT", "Phòng Kế toán"), ("NS", "Phòng Nhân sự"), ("IT", "Phòng CNTT")]:
        dept = Department.objects.create(company=a, code=code, name=name, parent=root)
        Position.objects.create(
            company=a, code=f"TP-{code}", name=f"Trưởng {name}", department=dept
        )
    Department.objects.create(company=b, code="KD", name="Phòng Kinh doanh")
    Notification.objects.create(
        company=a, user=user, title="Kỳ kế toán tháng 6 sắp khoá sổ", url="/desk/"
    )
    Job.objects.create(
        company=a,
        created_by=user,
        kind="backup",
        status=JobStatus.RUNNING,
        progress_done=6,
        progress_total=10,
        message="Sao lưu dữ liệu",
        started_at=timezone.now(),
    )
    return {"a": a, "b": b, "user": user, "key": key}


def test_login_two_factor_language_and_company_switch(page, desk_data):
    from backoffice.core import mfa

    a, b, user, key = desk_data["a"], desk_data["b"], desk_data["user"], desk_data["key"]

    # Given an accountant with an authenticator, when they log in with e-mail and password
    page.goto("/desk/login/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_text("Đăng nhập").count() >= 1  # Django's own Vietnamese "Log in"
    shot(page, "login")
    page.fill("#login-form input[name=username]", user.email)
    page.fill("#login-form input[name=password]", PASSWORD)
    page.locator("#login-form button[type=submit]").click()

    # then the second factor is asked for
    page.wait_for_url(re.compile(r"/account/2fa/verify/"))
    page.fill("#mfa-verify-form input[name=token]", mfa.current_token(key))
    shot(page, "2fa")
    page.locator("#mfa-verify-form button[type=submit]").click()

    # and the dashboard of company A opens, in Vietnamese
    page.wait_for_url(re.compile(r"/desk/$"))
    dashboard = page.locator("#bo-dashboard")
    assert dashboard.locator("h1").inner_text().strip() == a.name
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("#bo-company-select").input_value() == a.code
    assert page.locator("#bo-bell .bo-badge").inner_text() == "1"
    assert dashboard.locator("[data-figure=departments] .bo-card-value").inner_text() == "4"
    shot(page, "dashboard-vi")

    # When they switch the language to English with the switch in the user menu
    switch_language(page, "en")

    # then the desk speaks English
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert "Departments" in dashboard.inner_text()
    assert dashboard.locator("h1").inner_text().strip() == a.name
    shot(page, "dashboard-en")

    # When they choose company B in the header
    page.select_option("#bo-company-select", b.code)
    page.wait_for_function(
        "(name) => document.querySelector('#bo-dashboard h1').innerText.trim() === name",
        arg=b.name,
    )
    # then the dashboard shows company B, still in English
    assert page.locator("#bo-company-select").input_value() == b.code
    assert page.locator("html").get_attribute("lang") == "en"
    assert dashboard.locator("[data-figure=departments] .bo-card-value").inner_text() == "1"

    # When they go back to company A and to Vietnamese
    page.select_option("#bo-company-select", a.code)
    page.wait_for_function(
        "(name) => document.querySelector('#bo-dashboard h1').innerText.trim() === name",
        arg=a.name,
    )
    switch_language(page, "vi")
    page.wait_for_function("document.documentElement.lang === 'vi'")

    # then their lists are company A's: departments, and jobs with a progress bar
    page.goto("/desk/core/department/")
    assert page.locator("#result_list tbody tr").count() == 4
    assert page.get_by_text("Phòng Kinh doanh").count() == 0  # company B's
    shot(page, "departments")
    page.goto("/desk/core/job/")
    bar = page.locator(".bo-progress-bar").first
    assert bar.evaluate("el => el.style.width") == "60%"
    assert bar.evaluate("el => getComputedStyle(el).height") == "10px"  # backoffice.css loaded
    shot(page, "jobs")

    # When they create an API token under "My API tokens"
    page.goto("/desk/core/apitoken/add/")
    page.fill("input[name=name]", "Kết nối phần mềm kế toán")
    page.locator("button[name=_save]").click()
    page.wait_for_url(re.compile(r"/desk/core/apitoken/$"))
    # then the raw token is shown once, in the message, and never again
    raw = re.search(r"bo_[0-9a-f]{8}_\S+", page.locator("body").inner_text())
    assert raw is not None, page.locator("body").inner_text()
    shot(page, "api-token")
    page.reload()
    assert raw.group(0) not in page.content()


def switch_language(page, code: str) -> None:
    """Open the user menu at the foot of the sidebar and press the language."""
    form = page.locator(f"form:has(input[name=language][value={code}])").first
    if not form.is_visible():
        page.locator("[x-on\\:click='openUserLinks = !openUserLinks']").click()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_enrolment_for_user_without_authenticator(page, make_company, make_user):
    from backoffice.core import mfa
    from backoffice.core.enums import Role

    company = make_company("ACO", name="Công ty TNHH Sao Mai")
    user = make_user(company, roles=[Role.ACCOUNTANT], email="moi@saomai.vn")

    # Given an accountant without an authenticator, when they log in
    log_in(page, user.email)

    # then they must enrol first
    page.wait_for_url(re.compile(r"/account/2fa/setup/"))
    assert page.locator(".bo-qr svg").count() == 1
    secret = page.locator("code#bo-totp-secret").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#mfa-setup-form input[name=token]", mfa.current_token(key))
    shot(page, "2fa-setup")
    page.locator("#mfa-setup-form button[type=submit]").click()

    # and land on the dashboard once the first code is accepted
    page.wait_for_url(re.compile(r"/desk/$"))
    assert page.locator("#bo-dashboard h1").inner_text().strip() == company.name

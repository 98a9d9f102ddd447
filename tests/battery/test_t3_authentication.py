"""T3 authentication: password policy, lockout, no user enumeration, TOTP (no
replay, no bypass, enrolment), session rotation, logout and disable kill
sessions. Everything goes through the real login form at /desk/login/.
"""

from __future__ import annotations

import base64
import html
import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from backoffice.core import mfa, services
from backoffice.core.enums import Role
from backoffice.core.exceptions import ValidationFailed
from backoffice.core.models import AuditEvent, TOTPDevice, User

PASSWORD = "Kh0ng-doan-duoc!"
LOGIN = "/desk/login/"
VERIFY = "/account/2fa/verify/"
SETUP = "/account/2fa/setup/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_lockout_leak():
    """Lockouts live in the DB (rolled back per test); make sure, both ways."""
    from axes.models import AccessAttempt
    from axes.utils import reset

    assert not AccessAttempt.objects.exists(), "a lockout leaked in from another test"
    yield
    reset()


def post_login(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password, "next": "/desk/"}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def form_errors(response) -> list[str]:
    form = response.context["form"] if response.context else None
    return [str(e) for e in form.non_field_errors()] if form is not None else []


def report(label: str, checks: dict[str, bool], figures: str = "") -> None:
    failed = [name for name, ok in checks.items() if not ok]
    print(
        f"\nT3 {label}: {len(checks) - len(failed)}/{len(checks)} passed, {len(failed)} failing"
        + (f" ({figures})" if figures else "")
        + (f"; failing: {'; '.join(failed)}" if failed else "")
    )
    assert not failed, failed


def test_t3_password_policy(client, company_a, make_user, desk_login):
    admin = make_user(company_a, roles=[Role.ADMIN])
    admin.active_company = company_a
    weak = {
        "too short": "Ab1!xyz",
        "common": "password123",
        "numeric only": "93847562019",
        "like the e-mail": "tran.thi.mai2024",
    }
    checks = {}
    for label, password in weak.items():
        try:
            services.user_create(
                actor=admin,
                company=company_a,
                email="tran.thi.mai2024@example.vn",
                full_name="Trần Thị Mai",
                password=password,
            )
        except ValidationFailed as exc:
            checks[f"service refuses {label}"] = exc.code == "weak_password"
        else:
            checks[f"service refuses {label}"] = False
    checks["no user created by refused attempts"] = not User.objects.filter(
        email="tran.thi.mai2024@example.vn"
    ).exists()
    # The desk's add form goes through the same policy.
    desk_login(client, admin, company_a)
    response = client.post(
        "/desk/core/user/add/",
        {"email": "le.van.b@example.vn", "full_name": "Lê Văn B", "password": "12345678"},
    )
    checks["desk add form refuses a weak password"] = (
        response.status_code == 200
        and not User.objects.filter(email="le.van.b@example.vn").exists()
    )
    user = services.user_create(
        actor=admin,
        company=company_a,
        email="pham.van.c@example.vn",
        full_name="Phạm Văn C",
        password="Mua-xuan-Ha-Noi-2025",
    )
    checks["a strong password is accepted"] = user.check_password("Mua-xuan-Ha-Noi-2025")
    checks["password stored hashed"] = "Mua-xuan" not in user.password
    report("password policy", checks, f"{len(weak)} weak passwords")


def test_t3_lockout(company_a, make_user):
    from axes.models import AccessAttempt, AccessAttemptExpiration

    limit = settings.AXES_FAILURE_LIMIT
    victim = make_user(company_a, roles=[Role.DATA_ANALYST], email="victim@example.vn")
    bystander = make_user(company_a, roles=[Role.DATA_ANALYST], email="bystander@example.vn")
    client = Client()
    statuses = [post_login(client, victim.email, f"wrong-password-{i}").status_code
                for i in range(limit)]  # fmt: skip
    locked = post_login(client, victim.email, PASSWORD)
    checks = {
        f"first {limit - 1} failures show the form again": statuses[: limit - 1]
        == [200] * (limit - 1),
        "the right password is refused once locked": not logged_in(client),
        "locked response is 429": locked.status_code == 429,
        "locked page says so": b"locked" in locked.content.lower()
        or "khóa" in locked.content.decode().lower(),
    }
    failed_events = AuditEvent.objects.filter(
        event_type="USER_LOGIN_FAILED", object_id=victim.email, outcome="failure"
    ).count()
    checks[f"{limit} USER_LOGIN_FAILED audit events"] = failed_events >= limit
    checks["USER_LOCKED_OUT audit event"] = AuditEvent.objects.filter(
        event_type="USER_LOCKED_OUT", object_id=victim.email
    ).exists()
    checks["failure events carry the IP"] = (
        AuditEvent.objects.filter(event_type="USER_LOGIN_FAILED")
        .exclude(ip_address="127.0.0.1")
        .count()
        == 0
    )
    # User+IP lock: another person behind the same office IP still logs in.
    other = Client()
    post_login(other, bystander.email, PASSWORD)
    checks["another user on the same IP is not locked"] = logged_in(other)
    # Unknown e-mails lock the same way (no enumeration through the lockout).
    ghost = Client()
    for i in range(limit):
        post_login(ghost, "nobody@example.vn", f"guess-{i}")
    checks["unknown e-mail locks identically"] = (
        post_login(ghost, "nobody@example.vn", "x").status_code == locked.status_code
    )
    # The lock cools off (it does not last forever).
    past = time.time() - settings.AXES_COOLOFF_TIME.total_seconds() - 60
    from datetime import UTC, datetime

    when = datetime.fromtimestamp(past, tz=UTC)
    AccessAttempt.objects.update(attempt_time=when)
    AccessAttemptExpiration.objects.update(expires_at=when)
    post_login(client, victim.email, PASSWORD)
    checks["after the cool-off the right password works"] = logged_in(client)
    report("lockout", checks, f"limit {limit}, {failed_events} failures audited")


def test_t3_no_user_enumeration(company_a, make_user):
    make_user(company_a, roles=[Role.DATA_ANALYST], email="known@example.vn")
    make_user(company_a, roles=[Role.DATA_ANALYST], email="gone@example.vn", is_active=False)
    cases = {
        "unknown e-mail": ("unknown@example.vn", PASSWORD),
        "wrong password": ("known@example.vn", "not-the-password"),
        "disabled user, right password": ("gone@example.vn", PASSWORD),
        "no staff access, right password": (
            make_user(company_a, email="nostaff@example.vn", is_staff=False).email,
            PASSWORD,
        ),
    }
    seen = {}
    bodies = {}
    for label, (email, password) in cases.items():
        response = post_login(Client(), email, password)
        seen[label] = (response.status_code, tuple(form_errors(response)))
        body = response.content.decode()
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
        bodies[label] = body.replace(html.escape(email), "EMAIL").replace(email, "EMAIL")
    reference = seen["wrong password"]
    checks = {"login refused with an error": reference[0] == 200 and len(reference[1]) == 1}
    for label in cases:
        checks[f"{label}: same status and message"] = seen[label] == reference
        checks[f"{label}: same page"] = bodies[label] == bodies["wrong password"]
    report("no user enumeration", checks, f"{len(cases)} cases")


def test_t3_totp_second_factor(company_a, make_user, totp_for):
    user = make_user(company_a, roles=[Role.RISK_ANALYST], email="risk@example.vn")
    key = totp_for(user)
    client = Client()
    response = post_login(client, user.email, PASSWORD)
    checks = {"password step accepted": response.status_code == 302 and logged_in(client)}
    gated = {
        url: client.get(url)
        for url in ("/desk/", "/desk/core/department/", "/desk/core/apitoken/add/")
    }
    checks["desk pages redirect to the code page"] = all(
        r.status_code == 302 and r["Location"].startswith(VERIFY) for r in gated.values()
    )
    checks["API refuses the half-logged-in session"] = client.get("/api/v1/me").status_code == 401
    # A second authenticator cannot be enrolled with the password alone.
    setup = client.get(SETUP)
    checks["cannot enrol a new device to skip the code"] = (
        setup.status_code == 302
        and setup["Location"].startswith(VERIFY)
        and TOTPDevice.objects.filter(user=user).count() == 1
    )
    checks["wrong code refused"] = (
        client.post(VERIFY, {"token": "000000"}).status_code == 200
        and client.get("/desk/").status_code == 302
    )
    checks["MFA_FAILED audited"] = AuditEvent.objects.filter(
        event_type="MFA_FAILED", actor=user
    ).exists()
    wait_throttle(user)
    code = mfa.current_token(key)
    response = client.post(VERIFY, {"token": code, "next": "/desk/core/department/"})
    checks["right code lets them in"] = (
        response.status_code == 302
        and response["Location"] == "/desk/core/department/"
        and client.get("/desk/").status_code == 200
    )
    # Replay: the same code, in a new login, within its validity window.
    again = Client()
    post_login(again, user.email, PASSWORD)
    response = again.post(VERIFY, {"token": code})
    checks["same code refused a second time (replay)"] = (
        response.status_code == 200 and again.get("/desk/").status_code == 302
    )
    wait_throttle(user)
    older = mfa.current_token(key, at=time.time() - mfa.STEP)
    if older != code:
        again.post(VERIFY, {"token": older})
        checks["an older code refused after a newer one"] = again.get("/desk/").status_code == 302
        wait_throttle(user)
    nxt = mfa.current_token(key, at=time.time() + mfa.STEP)
    response = again.post(VERIFY, {"token": nxt, "next": "https://evil.example/"})
    checks["next code accepted"] = again.get("/desk/").status_code == 200
    checks["no open redirect after the code"] = response.status_code == 302 and response[
        "Location"
    ].startswith("/")
    report("TOTP second factor", checks)


def wait_throttle(user) -> None:
    """A failed code throttles the device (1 s, doubling); wait it out like a person would."""
    deadline = time.time() + 10
    while time.time() < deadline:
        if all(d.verify_is_allowed()[0] for d in TOTPDevice.objects.filter(user=user)):
            return
        time.sleep(0.2)


def _secret_from(page) -> bytes:
    found = re.search(r'<code id="bo-totp-secret"[^>]*>([A-Z2-7]+)</code>', page.content.decode())
    assert found, "setup page shows no secret"
    secret = found.group(1)
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def test_t3_mfa_required_role_enrols(company_a, make_user):
    from backoffice.core.permissions import ROLE_GRANTS

    assert "core.post_ledger" in ROLE_GRANTS[Role.ACCOUNTANT]  # the role needs MFA
    user = make_user(company_a, roles=[Role.ACCOUNTANT], email="ketoan@example.vn")
    client = Client()
    post_login(client, user.email, PASSWORD)
    checks = {"password step accepted": logged_in(client)}
    redirects = [client.get(u) for u in ("/desk/", "/desk/core/department/", "/desk/core/job/")]
    checks["desk redirects to enrolment"] = all(
        r.status_code == 302 and r["Location"].startswith(SETUP) for r in redirects
    )
    api = client.get("/api/v1/departments")
    checks["API refuses the session without a second factor"] = api.status_code in (401, 403)
    token_create = client.post(
        "/api/v1/tokens", {"name": "bypass"}, content_type="application/json"
    )
    checks["cannot mint an API token without a second factor"] = (
        token_create.status_code in (401, 403) and not user.api_tokens.exists()
    )
    page = client.get(SETUP)
    checks["setup page shows a QR code"] = page.status_code == 200 and b"<svg" in page.content
    key = _secret_from(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    checks["secret encrypted at rest"] = (
        key.hex() not in device.encrypted_key
        and base64.b32encode(key).decode().rstrip("=") not in device.encrypted_key
    )
    bad = client.post(SETUP, {"token": "123456"})
    checks["wrong enrolment code refused"] = (
        bad.status_code == 200 and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )
    wait_throttle(user)
    page = client.post(SETUP, {"token": mfa.current_token(key)})
    checks["right enrolment code accepted"] = page.status_code == 302
    checks["device confirmed"] = TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    checks["desk open after enrolment"] = client.get("/desk/").status_code == 200
    checks["MFA_ENROLLED audited"] = AuditEvent.objects.filter(
        event_type="MFA_ENROLLED", actor=user
    ).exists()
    # A reset by an administrator does not open the desk without a new enrolment.
    admin = make_user(company_a, roles=[Role.ADMIN])
    admin.active_company = company_a
    services.totp_device_reset(actor=admin, company=company_a, user=user)
    after_reset = client.get("/desk/")
    checks["after a 2FA reset the session must enrol again"] = (
        after_reset.status_code == 302 and after_reset["Location"].startswith(SETUP)
    )
    reset_page = Client().get("/desk/password_reset/")
    checks["no password-reset page to skip the second factor"] = (
        reset_page.status_code in (302, 404)
        and b"password_reset" not in Client().get(LOGIN).content
    )
    report("MFA required by role", checks)


def test_t3_sessions(company_a, make_user, desk_login):
    user = make_user(company_a, roles=[Role.DATA_ANALYST], email="phan.tich@example.vn")
    admin = make_user(company_a, roles=[Role.ADMIN], email="quan.tri@example.vn")
    admin.active_company = company_a
    checks = {}

    # Rotation: a session planted before login is not the one after it.
    client = Client()
    planted = client.session
    planted["probe"] = "1"
    planted.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    post_login(client, user.email, PASSWORD)
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    checks["session key rotates at login"] = logged_in(client) and new_key != planted.session_key
    checks["pre-login session is gone"] = not Session.objects.filter(
        session_key=planted.session_key
    ).exists()

    # Logout: GET does not log out (no CSRF-able logout); POST kills the session.
    checks["GET /desk/logout/ refused"] = client.get("/desk/logout/").status_code == 405
    client.post("/desk/logout/")
    checks["logout deletes the session"] = not Session.objects.filter(session_key=new_key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = new_key
    response = replay.get("/desk/")
    checks["old cookie no longer opens the desk"] = response.status_code == 302 and response[
        "Location"
    ].startswith(LOGIN)

    # Disable: every session of the user dies, on every device; the API token too.
    phone, laptop = Client(), Client()
    post_login(phone, user.email, PASSWORD)
    post_login(laptop, user.email, PASSWORD)
    raw = services.api_token_create(actor=user, company=company_a, name="laptop")[1]
    bearer = {"Authorization": f"Bearer {raw}"}
    checks["API token works before"] = Client().get("/api/v1/me", headers=bearer).status_code == 200
    admin_client = desk_login(Client(), admin, company_a)
    services.user_update(actor=admin, company=company_a, user=user, is_active=False)
    keys = [c.cookies[settings.SESSION_COOKIE_NAME].value for c in (phone, laptop)]
    checks["disable kills all the user's sessions"] = not Session.objects.filter(
        session_key__in=keys
    ).exists()
    checks["disabled user's browser is sent to login"] = all(
        c.get("/desk/").status_code == 302 for c in (phone, laptop)
    )
    checks["disabled user's API token refused"] = (
        Client().get("/api/v1/me", headers=bearer).status_code == 401
    )
    checks["other users keep their sessions"] = admin_client.get("/desk/").status_code == 200
    checks["USER_DISABLED audited"] = AuditEvent.objects.filter(
        event_type="USER_DISABLED", object_id=str(user.public_id)
    ).exists()
    checks["disabled user cannot log in again"] = not logged_in(
        _login(Client(), user.email, PASSWORD)
    )

    # Disable through the desk form does the same.
    other = make_user(company_a, roles=[Role.DATA_ANALYST], email="nguoi.khac@example.vn")
    victim_client = _login(Client(), other.email, PASSWORD)
    key = victim_client.cookies[settings.SESSION_COOKIE_NAME].value
    response = admin_client.post(
        f"/desk/core/user/{other.pk}/change/",
        {
            "full_name": other.full_name,
            "language": "vi",
            "is_staff": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    other.refresh_from_db()
    checks["desk form disables"] = response.status_code == 302 and not other.is_active
    checks["desk disable kills the session"] = not Session.objects.filter(session_key=key).exists()
    report("sessions", checks)


def _login(client, email, password):
    post_login(client, email, password)
    return client

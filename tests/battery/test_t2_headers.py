"""T2 headers and cookies: every URL class served as production serves it (behind
TLS: BACKOFFICE_HTTPS=1, whose values T1 checks in the real settings) carries
HSTS, CSP, nosniff, Referrer-Policy, frame denial and no-store where it shows
company data; every cookie it sets is Secure, and the session one HttpOnly.
"""

from __future__ import annotations

import re

import pytest

from backoffice.core.enums import Role

# What settings.py derives from BACKOFFICE_HTTPS=1 (T1 asserts the real values).
PRODUCTION_HTTPS = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_SECURE": True,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
}
PASSWORD = "Kh0ng-doan-duoc!"


@pytest.fixture
def https(settings):
    for key, value in PRODUCTION_HTTPS.items():
        setattr(settings, key, value)
    return settings


def _csp_directives(value: str) -> dict[str, list[str]]:
    out = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def header_problems(response, *, sensitive: bool, html: bool) -> list[str]:
    """What is missing or wrong in one response's security headers."""
    h = response.headers
    bad = []
    hsts = h.get("Strict-Transport-Security", "")
    if "max-age=31536000" not in hsts or "includeSubDomains" not in hsts:
        bad.append(f"HSTS={hsts!r}")
    if h.get("X-Content-Type-Options") != "nosniff":
        bad.append(f"nosniff={h.get('X-Content-Type-Options')!r}")
    if h.get("Referrer-Policy") not in ("same-origin", "no-referrer", "strict-origin"):
        bad.append(f"Referrer-Policy={h.get('Referrer-Policy')!r}")
    if html:
        if h.get("X-Frame-Options") != "DENY":
            bad.append(f"X-Frame-Options={h.get('X-Frame-Options')!r}")
        if h.get("Cross-Origin-Opener-Policy") != "same-origin":
            bad.append(f"COOP={h.get('Cross-Origin-Opener-Policy')!r}")
        csp = _csp_directives(h.get("Content-Security-Policy", ""))
        for directive, wanted in (
            ("default-src", ["'self'"]),
            ("frame-ancestors", ["'none'"]),
            ("object-src", ["'none'"]),
            ("base-uri", ["'self'"]),
            ("form-action", ["'self'"]),
        ):
            if csp.get(directive) != wanted:
                bad.append(f"CSP {directive}={csp.get(directive)!r}")
        # A page that loads scripts or styles from elsewhere is broken by its own CSP.
        body = response.content.decode(errors="replace")
        for url in re.findall(
            r"<(?:script|link)[^>]+(?:src|href)=[\"'](https?:)?//([^/\"']+)", body
        ):
            bad.append(f"loads from {url[1]} (blocked by CSP)")
    if sensitive and "no-store" not in h.get("Cache-Control", ""):
        bad.append(f"Cache-Control={h.get('Cache-Control')!r}")
    return bad


def cookie_problems(response) -> list[str]:
    bad = []
    for name, morsel in response.cookies.items():
        if not morsel.value:  # a deletion
            continue
        if not morsel["secure"]:
            bad.append(f"cookie {name} not Secure")
        if morsel["samesite"] not in ("Lax", "Strict"):
            bad.append(f"cookie {name} SameSite={morsel['samesite']!r}")
        if name in ("sessionid", "csrftoken") and not morsel["httponly"]:
            bad.append(f"cookie {name} not HttpOnly")
    return bad


@pytest.mark.django_db
def test_t2_headers_and_cookies(https, company_a, make_user, desk_login, totp_for, api_token):
    from django.contrib import admin as django_admin
    from django.test import Client
    from import_export.formats.base_formats import CSV

    from backoffice.core.models import Department

    dept = Department.objects.create(company=company_a, code="KT", name="Phòng Kế toán")
    admin = make_user(company_a, roles=[Role.ADMIN], email="admin@example.vn")
    analyst = make_user(company_a, roles=[Role.DATA_ANALYST], email="analyst@example.vn")
    raw = api_token(admin, company_a)

    anon = Client()
    desk = desk_login(Client(), admin, company_a)
    pending = Client()  # password given, second factor not yet
    risk = make_user(company_a, roles=[Role.RISK_ANALYST], email="r@example.vn")
    totp_for(risk)
    pending.force_login(risk)
    enrolling = Client()  # must enrol: the setup page shows the secret
    enrolling.force_login(make_user(company_a, roles=[Role.ACCOUNTANT], email="acc@example.vn"))
    bearer = {"Authorization": f"Bearer {raw}"}
    export = {
        "action": "export_admin_action",
        "_selected_action": [str(dept.pk)],
    }
    formats = django_admin.site._registry[Department].get_export_formats()
    csv_file = {"format": str(formats.index(CSV)), "resource": "0", "export_items": [dept.pk]}

    # (label, client, method, url, kwargs, sensitive, html, expected status)
    cases = [
        ("desk login page", anon, "get", "/desk/login/", {}, True, True, 200),
        ("desk dashboard", desk, "get", "/desk/", {}, True, True, 200),
        ("desk changelist", desk, "get", "/desk/core/department/", {}, True, True, 200),
        (
            "desk change page",
            desk,
            "get",
            f"/desk/core/department/{dept.pk}/change/",
            {},
            True,
            True,
            200,
        ),
        ("desk export form", desk, "post", "/desk/core/department/", export, True, True, 200),
        (
            "desk export file",
            desk,
            "post",
            "/desk/core/department/export/",
            csv_file,
            True,
            False,
            200,
        ),  # fmt: skip
        (
            "desk 403",
            make_desk_forbidden(desk_login, make_user, company_a),
            "get",
            "/desk/core/auditevent/",
            {},
            True,
            True,
            403,
        ),  # fmt: skip
        ("desk 404", desk, "get", "/desk/no-such-page/", {}, True, True, 404),
        ("2FA verify page", pending, "get", "/account/2fa/verify/", {}, True, True, 200),
        ("2FA setup page", enrolling, "get", "/account/2fa/setup/", {}, True, True, 200),
        ("API JSON (token)", anon, "get", "/api/v1/me", {"headers": bearer}, True, False, 200),
        ("API JSON (session)", desk, "get", "/api/v1/departments", {}, True, False, 200),
        ("API 401", anon, "get", "/api/v1/me", {}, True, False, 401),
        ("API docs", anon, "get", "/api/v1/docs", {}, True, True, 200),
        ("OpenAPI document", anon, "get", "/api/v1/openapi.json", {}, True, False, 200),
        ("root redirect", anon, "get", "/", {}, True, False, 302),
        ("portal login page", anon, "get", "/portal/login/", {}, True, True, 200),
        ("portal page, logged out", anon, "get", "/portal/leave/", {}, True, False, 302),
        ("portal password reset", anon, "get", "/portal/password/reset/", {}, True, True, 200),
        (
            "payroll calculator (public)",
            anon,
            "get",
            "/payroll/calculator/?amount=30000000",
            {},
            True,
            True,
            200,
        ),
    ]
    missing: list[str] = []
    checked = 0
    for label, c, method, url, kwargs, sensitive, html, status in cases:
        response = getattr(c, method)(url, secure=True, **kwargs)
        if response.status_code != status:
            missing.append(f"{label}: status {response.status_code} != {status}")
        problems = header_problems(response, sensitive=sensitive, html=html)
        problems += cookie_problems(response)
        missing += [f"{label}: {p}" for p in problems]
        checked += 1

    # Static files: long-cached is fine, but still nosniff and HSTS.
    response = anon.get("/static/core/backoffice.css", secure=True)
    checked += 1
    if response.status_code != 200:
        missing.append(f"static: status {response.status_code}")
    missing += [f"static: {p}" for p in header_problems(response, sensitive=False, html=False)]

    # Plain HTTP is redirected to HTTPS before anything is served.
    response = anon.get("/desk/login/", secure=False)
    checked += 1
    if response.status_code != 301 or not response["Location"].startswith("https://"):
        missing.append(f"http->https: {response.status_code} {response.get('Location')}")

    # The cookies a real login sets: session rotated in, CSRF, language.
    login = Client(enforce_csrf_checks=False)
    page = login.get("/desk/login/", secure=True)
    missing += [f"login page: {p}" for p in cookie_problems(page)]
    response = login.post(
        "/desk/login/",
        {"username": analyst.email, "password": PASSWORD, "next": "/desk/"},
        secure=True,
    )
    checked += 2
    if response.status_code != 302 or "sessionid" not in response.cookies:
        missing.append(f"login: status {response.status_code}, no session cookie")
    missing += [f"login: {p}" for p in cookie_problems(response)]
    missing += [f"login: {p}" for p in header_problems(response, sensitive=True, html=False)]
    session = response.cookies.get("sessionid")
    if session is not None and session["max-age"] not in ("", None):
        # SESSION_EXPIRE_AT_BROWSER_CLOSE: a session cookie, never a persistent one
        missing.append(f"session cookie is persistent (max-age={session['max-age']})")
    response = login.post("/i18n/setlang/", {"language": "en", "next": "/desk/"}, secure=True)
    checked += 1
    missing += [f"set language: {p}" for p in cookie_problems(response)]

    print(
        f"\nT2 headers and cookies: {checked} responses over {len(cases) + 5} URL classes, "
        f"{len(missing)} missing"
    )
    assert not missing, "\n".join(missing)


def make_desk_forbidden(desk_login, make_user, company):
    """A desk user whose role cannot read the audit log (403 page)."""
    from django.test import Client

    user = make_user(company, roles=[Role.DATA_ANALYST], email="no-audit@example.vn")
    return desk_login(Client(), user, company)

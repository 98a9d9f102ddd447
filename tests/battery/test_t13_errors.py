"""T13: forced errors leak no traceback or settings; security events are logged
with actor, IP and outcome; no secrets in logs."""

import logging

import pytest
from django.conf import settings
from django.test import override_settings

from backoffice.core.enums import Role

LEAK_MARKERS = ["Traceback", "SECRET_KEY", 'File "/', "django.db.utils", settings.SECRET_KEY[:12]]


@pytest.mark.django_db
def test_api_server_error_is_generic_json(client, company_a, make_user, api_token, monkeypatch):
    user = make_user(company_a, roles=[Role.ADMIN])
    raw = api_token(user, company_a)

    def boom(**kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("backoffice.core.selectors.department_list", boom)
    response = client.get("/api/v1/departments", HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = response.content.decode()
    leaks = [m for m in [*LEAK_MARKERS, "hunter2"] if m in body]
    print(f"T13 errors (API): status {response.status_code}; leaks {len(leaks)}")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert leaks == []


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_desk_server_error_page_leaks_nothing(company_a, make_user, desk_login, monkeypatch):
    from django.test import Client

    client = Client(raise_request_exception=False)
    user = make_user(company_a, roles=[Role.ADMIN])
    desk_login(client, user, company_a)

    def boom(*args, **kwargs):
        raise RuntimeError("secret token abc123")

    monkeypatch.setattr("backoffice.core.dashboard.dashboard_figures", boom)
    response = client.get("/desk/")
    body = response.content.decode()
    leaks = [m for m in [*LEAK_MARKERS, "abc123"] if m in body]
    print(f"T13 errors (desk): status {response.status_code}; leaks {len(leaks)}")
    assert response.status_code == 500
    assert leaks == []


@pytest.mark.django_db
def test_failed_login_is_logged_with_actor_ip_and_no_password(client, company_a, make_user, caplog):
    make_user(company_a, roles=[Role.ADMIN], email="an@example.vn")
    with caplog.at_level(logging.INFO, logger="backoffice"):
        client.post(
            "/desk/login/",
            {"username": "an@example.vn", "password": "Sai-mat-khau-123"},
            REMOTE_ADDR="10.9.8.7",
        )
    text = "\n".join(r.getMessage() for r in caplog.records)
    print(
        f"T13 logging: security lines {text.count('login failed')}; "
        f"password in logs {int('Sai-mat-khau-123' in text)}"
    )
    assert "login failed user=an@example.vn ip=10.9.8.7" in text
    assert "Sai-mat-khau-123" not in text

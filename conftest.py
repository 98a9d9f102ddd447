"""Shared test fixtures: companies, users with roles, logged-in desk and API clients."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium; CI (BACKOFFICE_REQUIRE_BROWSER=1) fails without."""
    if os.path.exists("/usr/bin/chromium") or os.environ.get("BACKOFFICE_REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason="/usr/bin/chromium not installed")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def make_company(db):
    from backoffice.core.models import Company

    counter = {"n": 0}

    def make(code: str | None = None, **kwargs):
        counter["n"] += 1
        code = code or f"C{counter['n']}"
        return Company.objects.create(
            code=code, name=kwargs.pop("name", f"Company {code}"), **kwargs
        )

    return make


@pytest.fixture
def company_a(make_company):
    return make_company("ACO", name="Công ty A")


@pytest.fixture
def company_b(make_company):
    return make_company("BCO", name="Công ty B")


@pytest.fixture
def make_user(db):
    from backoffice.core.models import Membership, User

    counter = {"n": 0}

    def make(
        company=None,
        roles=(),
        email: str | None = None,
        password: str = "Kh0ng-doan-duoc!",
        **kwargs,
    ):
        counter["n"] += 1
        user = User.objects.create_user(
            email or f"user{counter['n']}@example.vn",
            password=password,
            full_name=kwargs.pop("full_name", "Nguyễn Văn Thử"),
            is_staff=kwargs.pop("is_staff", True),
            **kwargs,
        )
        for role in roles:
            Membership.objects.create(user=user, company=company, role=role)
        return user

    return make


@pytest.fixture
def totp_for():
    """Give a user a confirmed authenticator; returns the raw key."""
    from backoffice.core import mfa
    from backoffice.core.models import TOTPDevice

    def make(user):
        key = mfa.new_secret()
        TOTPDevice.objects.create(
            user=user, name="test", confirmed=True, encrypted_key=mfa.seal_secret(key)
        )
        return key

    return make


@pytest.fixture
def desk_login():
    """Log a client in to the desk, in a company, with a verified second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from backoffice.core import mfa
    from backoffice.core.middleware import SESSION_KEY
    from backoffice.core.models import TOTPDevice

    def login(client, user, company=None):
        client.force_login(user, backend="backoffice.core.backends.CompanyRoleBackend")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user,
                name="test",
                confirmed=True,
                encrypted_key=mfa.seal_secret(mfa.new_secret()),
            )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        if company is not None:
            session[SESSION_KEY] = company.pk
        session.save()
        return client

    return login


@pytest.fixture
def portal_login():
    """Log a client in to the employee portal, in a company (no desk, no second
    factor)."""
    from backoffice.core.middleware import SESSION_KEY

    def login(client, user, company=None):
        client.force_login(user, backend="backoffice.core.backends.CompanyRoleBackend")
        if company is not None:
            session = client.session
            session[SESSION_KEY] = company.pk
            session.save()
        return client

    return login


@pytest.fixture
def portal(portal_login):
    """A new client logged in to the portal: ``portal(user, company)``."""
    from django.test import Client

    return lambda user, company: portal_login(Client(), user, company)


@pytest.fixture
def documents_home(tmp_path, monkeypatch):
    """Stored documents go to a folder of this test only (same master key as the
    rest); returns the records store's folder."""
    from backoffice import config

    monkeypatch.setenv("BACKOFFICE_MASTER_KEY", config.master_key())
    monkeypatch.setenv("BACKOFFICE_HOME", str(tmp_path / "home"))
    return tmp_path / "home" / "documents" / "records"


@pytest.fixture
def api_token(db):
    """A personal access token for (user, company); returns the raw bearer value."""
    from backoffice.core import services

    def make(user, company, name="test"):
        _token, raw = services.api_token_create(actor=user, company=company, name=name)
        return raw

    return make


def _flush_blockers() -> dict[str, tuple[list[str], list[str]]]:
    """Per vendor: (SQL that puts the audit triggers back, SQL that lifts the ones a
    test flush trips over). Taken from the migrations, so they cannot drift."""
    import importlib

    m2 = importlib.import_module("backoffice.core.migrations.0002_audit_append_only")
    m3 = importlib.import_module("backoffice.core.migrations.0003_audit_no_truncate")
    sqlite_back = [s.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS") for s in m2.SQLITE]
    blockers = {
        "sqlite": (sqlite_back, list(m2.SQLITE_REVERSE)),
        "postgresql": ([m3.DROP, m3.CREATE], [m3.DROP]),
    }
    # Other apps' guard triggers: each migration module exposes FLUSH = {vendor: (back, lift)}.
    for name in FLUSH_TRIGGER_MIGRATIONS:
        for vendor, (back, lift) in importlib.import_module(name).FLUSH.items():
            blockers[vendor][0].extend(back)
            blockers[vendor][1].extend(lift)
    return blockers


FLUSH_TRIGGER_MIGRATIONS = (
    "backoffice.accounting.migrations.0002_ledger_triggers",
    "backoffice.hr.migrations.0002_leave_ledger_append_only",
)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(autouse=True)
def _flushable_audit_log(request):
    """Transactional tests end with a flush (DELETE on SQLite, TRUNCATE on PostgreSQL) that the audit
    log's append-only triggers refuse: drop them just before the flush; the
    teardown hook below puts them back right after it."""
    if not _is_transactional(request.node):
        yield
        return
    # Set up after (so torn down before) the fixture that flushes.
    request.getfixturevalue("_django_db_helper")
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    with connection.cursor() as cur:
        for sql in _flush_blockers()[connection.vendor][1]:
            cur.execute(sql)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if not _is_transactional(item) or nextitem is None:
        return  # after the last test the test database is already gone
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock(), connection.cursor() as cur:
        for sql in _flush_blockers()[connection.vendor][0]:
            cur.execute(sql)

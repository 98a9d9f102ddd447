"""T9 audit completeness and chain: every write path of the platform leaves its
audit row (service, desk form, desk bulk action, API), and raw-SQL tampering
with the log is detected by ``audit_verify`` and by ``backoffice audit verify``.
The database itself refuses UPDATE and DELETE on the log.
"""

from __future__ import annotations

import importlib
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from backoffice.core import audit, jobs, mfa, services
from backoffice.core.enums import Role
from backoffice.core.models import (
    ApiToken,
    AuditEvent,
    Company,
    Department,
    Membership,
    Position,
    TOTPDevice,
    User,
)

PASSWORD = "Kh0ng-doan-duoc!"
TRIGGERS = importlib.import_module("backoffice.core.migrations.0002_audit_append_only")
NO_TRUNCATE = importlib.import_module("backoffice.core.migrations.0003_audit_no_truncate")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """The verified head (anchor) is a file in BACKOFFICE_HOME: keep it per test."""
    monkeypatch.setenv("BACKOFFICE_HOME", str(tmp_path))


# --- completeness ---------------------------------------------------------------------


class Ledger:
    """Expected audit rows, checked one write path at a time."""

    def __init__(self):
        self.results: dict[str, str] = {}

    @contextmanager
    def expect(self, label, event_type, *, actor=None, company=None, object_id=None, n=1):
        start = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        box = {}
        yield box
        new = list(AuditEvent.objects.filter(seq__gt=start, event_type=event_type))
        oid = box.get("object_id", object_id)
        problems = []
        if len(new) < n:
            problems.append(f"{len(new)} {event_type} rows, expected {n}")
        for ev in new:
            if actor is not None and ev.actor_id != actor.pk:
                problems.append(f"actor {ev.actor_label!r}")
            if company is not None and ev.company_id != company.pk:
                problems.append(f"company {ev.company_id}")
            if oid is not None and n == 1 and ev.object_id != str(oid):
                problems.append(f"object {ev.object_id!r} != {oid!r}")
        self.results[label] = "; ".join(problems)

    @property
    def missing(self):
        return {k: v for k, v in self.results.items() if v}


def _desk(client, user, company, desk_login):
    return desk_login(client, user, company)


def test_t9_every_write_path_is_audited(client, company_a, make_user, desk_login, settings):
    admin = make_user(company_a, roles=[Role.ADMIN], email="admin@example.vn")
    admin.active_company = company_a
    a = company_a
    log = Ledger()

    # --- services ---
    with log.expect("service company_create", "COMPANY_CREATED", actor=admin):
        services.company_create(actor=admin, code="NEWCO", name="Công ty Mới", chart="none")
    with log.expect("service company_update", "COMPANY_UPDATED", actor=admin, company=a):
        services.company_update(actor=admin, company=a, name="Công ty A (mới)")
    with log.expect("service department_create", "DEPARTMENT_CREATED", actor=admin, company=a) as b:
        dept = services.department_create(actor=admin, company=a, code="KT", name="Kế toán")
        b["object_id"] = dept.public_id
    with log.expect("service department_update", "DEPARTMENT_UPDATED", actor=admin, company=a,
                    object_id=dept.public_id):  # fmt: skip
        services.department_update(actor=admin, department=dept, name="Phòng Kế toán")
    before_after = AuditEvent.objects.filter(event_type="DEPARTMENT_UPDATED").order_by("seq").last()
    log.results["department update keeps before/after"] = (
        ""
        if before_after.before["name"] == "Kế toán"
        and before_after.after["name"] == "Phòng Kế toán"
        else f"before/after wrong: {before_after.before} {before_after.after}"
    )
    with log.expect("service position_create", "POSITION_CREATED", actor=admin, company=a) as b:
        pos = services.position_create(actor=admin, company=a, code="KTV", name="Kế toán viên")
        b["object_id"] = pos.public_id
    with log.expect("service position_update", "POSITION_UPDATED", actor=admin, company=a,
                    object_id=pos.public_id):  # fmt: skip
        services.position_update(actor=admin, position=pos, level="L2")
    with log.expect("service position_delete", "POSITION_DELETED", actor=admin, company=a,
                    object_id=pos.public_id):  # fmt: skip
        services.position_delete(actor=admin, position=pos)
    with log.expect("service department_delete", "DEPARTMENT_DELETED", actor=admin, company=a,
                    object_id=dept.public_id):  # fmt: skip
        services.department_delete(actor=admin, department=dept)
    with log.expect("service user_create", "USER_CREATED", actor=admin, company=a) as b:
        user = services.user_create(
            actor=admin, company=a, email="mai@example.vn", full_name="Trần Mai",
            password="Mua-xuan-Ha-Noi-2025",
        )  # fmt: skip
        b["object_id"] = user.public_id
    with log.expect("service user_create grants roles", "ROLE_GRANTED", actor=admin, company=a):
        services.user_create(
            actor=admin, company=a, email="lan@example.vn", full_name="Lê Lan",
            roles=[Role.HR_OFFICER],
        )  # fmt: skip
    with log.expect("service user_update", "USER_UPDATED", actor=admin, company=a,
                    object_id=user.public_id):  # fmt: skip
        services.user_update(actor=admin, company=a, user=user, full_name="Trần Thị Mai")
    with log.expect("service role grant", "ROLE_GRANTED", actor=admin, company=a) as b:
        m = services.membership_grant(actor=admin, company=a, user=user, role=Role.DATA_ANALYST)
        b["object_id"] = m.public_id
    with log.expect("service role revoke", "ROLE_REVOKED", actor=admin, company=a,
                    object_id=m.public_id):  # fmt: skip
        services.membership_revoke(actor=admin, membership=m)
    with log.expect("service token create", "API_TOKEN_CREATED", actor=admin, company=a) as b:
        token, _raw = services.api_token_create(actor=admin, company=a, name="script")
        b["object_id"] = token.public_id
    with log.expect("service token revoke", "API_TOKEN_REVOKED", actor=admin, company=a,
                    object_id=token.public_id):  # fmt: skip
        services.api_token_revoke(actor=admin, token=token)
    with log.expect("service MFA enrol", "MFA_ENROLLED", actor=user, object_id=user.public_id):
        device, key = services.totp_device_start(user=user)
        assert services.totp_device_confirm(user=user, device=device, token=mfa.current_token(key))
    with log.expect("service MFA reset", "MFA_RESET", actor=admin, company=a,
                    object_id=user.public_id):  # fmt: skip
        services.totp_device_reset(actor=admin, company=a, user=user)
    with log.expect("service user disable", "USER_DISABLED", actor=admin, company=a,
                    object_id=user.public_id):  # fmt: skip
        services.user_update(actor=admin, company=a, user=user, is_active=False)

    @jobs.job_kind("battery.noop")
    def _noop(*, progress, company, actor):
        return {"ok": True}

    try:
        with log.expect("service job enqueue", "JOB_ENQUEUED", actor=admin, company=a) as b:
            job = jobs.job_enqueue(actor=admin, company=a, kind="battery.noop")
            b["object_id"] = job.public_id
    finally:
        jobs._KINDS.pop("battery.noop", None)

    # --- login events (signals) ---
    analyst = make_user(a, roles=[Role.DATA_ANALYST], email="analyst@example.vn")
    with log.expect("login ok", "USER_LOGGED_IN", actor=analyst, object_id=analyst.public_id):
        Client().post("/desk/login/", {"username": analyst.email, "password": PASSWORD})
    with log.expect("login failed", "USER_LOGIN_FAILED", object_id=analyst.email):
        Client().post("/desk/login/", {"username": analyst.email, "password": "wrong-one"})
    failed = AuditEvent.objects.filter(event_type="USER_LOGIN_FAILED").order_by("seq").last()
    log.results["failed login: outcome and IP"] = (
        "" if failed.outcome == "failure" and failed.ip_address == "127.0.0.1" else "no IP/outcome"
    )
    c = Client()
    c.post("/desk/login/", {"username": analyst.email, "password": PASSWORD})
    with log.expect("logout", "USER_LOGGED_OUT", actor=analyst):
        c.post("/desk/logout/")

    # --- the desk: forms and bulk actions ---
    desk = desk_login(client, admin, a)
    with log.expect("desk department add", "DEPARTMENT_CREATED", actor=admin, company=a):
        r = desk.post("/desk/core/department/add/", {"code": "NS", "name": "Nhân sự"})
        assert r.status_code == 302, r.content[:2000]
    d = Department.objects.get(company=a, code="NS")
    with log.expect("desk department change", "DEPARTMENT_UPDATED", actor=admin, company=a,
                    object_id=d.public_id):  # fmt: skip
        r = desk.post(f"/desk/core/department/{d.pk}/change/", {"code": "NS", "name": "Phòng NS"})
        assert r.status_code == 302
    with log.expect("desk position add", "POSITION_CREATED", actor=admin, company=a):
        r = desk.post(
            "/desk/core/position/add/",
            {"code": "TP", "name": "Trưởng phòng", "department": d.pk, "level": "M1"},
        )
        assert r.status_code == 302
    p = Position.objects.get(company=a, code="TP")
    with log.expect("desk position change", "POSITION_UPDATED", actor=admin, company=a,
                    object_id=p.public_id):  # fmt: skip
        desk.post(
            f"/desk/core/position/{p.pk}/change/",
            {"code": "TP", "name": "Trưởng phòng", "department": d.pk, "level": "M2"},
        )
    with log.expect("desk position delete", "POSITION_DELETED", actor=admin, company=a,
                    object_id=p.public_id):  # fmt: skip
        desk.post(f"/desk/core/position/{p.pk}/delete/", {"post": "yes"})
    d2 = services.department_create(actor=admin, company=a, code="IT", name="CNTT")
    with log.expect("desk bulk delete departments", "DEPARTMENT_DELETED", actor=admin,
                    company=a, n=2):  # fmt: skip
        desk.post(
            "/desk/core/department/",
            {"action": "delete_selected", "_selected_action": [d.pk, d2.pk], "post": "yes"},
        )
    with log.expect("desk user add", "USER_CREATED", actor=admin, company=a):
        r = desk.post(
            "/desk/core/user/add/",
            {"email": "hoa@example.vn", "full_name": "Đỗ Hoa", "password": "Mua-xuan-Ha-Noi-2025",
             "roles": [Role.IT_OFFICER]},
        )  # fmt: skip
        assert r.status_code == 302, r.content[:3000]
    hoa = User.objects.get(email="hoa@example.vn")
    log.results["desk user add grants the role"] = (
        ""
        if AuditEvent.objects.filter(event_type="ROLE_GRANTED", after__user=hoa.email).exists()
        else "no ROLE_GRANTED"
    )
    with log.expect("desk user change", "USER_UPDATED", actor=admin, company=a,
                    object_id=hoa.public_id):  # fmt: skip
        r = desk.post(
            f"/desk/core/user/{hoa.pk}/change/",
            {"full_name": "Đỗ Thị Hoa", "language": "vi", "is_staff": "on", "is_active": "on",
             "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
             "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000"},
        )  # fmt: skip
        assert r.status_code == 302
    TOTPDevice.objects.create(
        user=hoa, name="x", confirmed=True, encrypted_key=mfa.seal_secret(mfa.new_secret())
    )
    with log.expect("desk bulk 2FA reset", "MFA_RESET", actor=admin, company=a,
                    object_id=hoa.public_id):  # fmt: skip
        desk.post("/desk/core/user/", {"action": "reset_two_factor", "_selected_action": [hoa.pk]})
    with log.expect("desk role grant", "ROLE_GRANTED", actor=admin, company=a):
        r = desk.post("/desk/core/membership/add/", {"user": hoa.pk, "role": Role.RISK_ANALYST})
        assert r.status_code == 302
    grant = Membership.objects.get(user=hoa, role=Role.RISK_ANALYST)
    with log.expect("desk role revoke", "ROLE_REVOKED", actor=admin, company=a,
                    object_id=grant.public_id):  # fmt: skip
        desk.post(f"/desk/core/membership/{grant.pk}/delete/", {"post": "yes"})
    grant2 = Membership.objects.get(user=hoa, role=Role.IT_OFFICER)
    with log.expect("desk bulk role revoke", "ROLE_REVOKED", actor=admin, company=a,
                    object_id=grant2.public_id):  # fmt: skip
        desk.post(
            "/desk/core/membership/",
            {"action": "delete_selected", "_selected_action": [grant2.pk], "post": "yes"},
        )
    with log.expect("desk token add", "API_TOKEN_CREATED", actor=admin, company=a):
        desk.post("/desk/core/apitoken/add/", {"name": "desk token"})
    tok = ApiToken.objects.get(name="desk token")
    with log.expect("desk bulk token revoke", "API_TOKEN_REVOKED", actor=admin, company=a,
                    object_id=tok.public_id):  # fmt: skip
        desk.post("/desk/core/apitoken/", {"action": "revoke", "_selected_action": [tok.pk]})
    with log.expect("desk company change", "COMPANY_UPDATED", actor=admin, company=a):
        r = desk.post(
            f"/desk/core/company/{a.pk}/change/",
            {"name": "Công ty A", "tax_code": "", "address": "Hà Nội"},
        )
        assert r.status_code == 302, r.content[:3000]

    # --- the API (token and session) ---
    _t, raw = services.api_token_create(actor=admin, company=a, name="api")
    api = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    json_ = "application/json"
    with log.expect("API department create", "DEPARTMENT_CREATED", actor=admin, company=a):
        r = Client().post(
            "/api/v1/departments", {"code": "API", "name": "Qua API"}, content_type=json_, **api
        )
        assert r.status_code == 201, r.content
    dept_id = r.json()["id"]
    with log.expect("API department update", "DEPARTMENT_UPDATED", actor=admin, company=a,
                    object_id=dept_id):  # fmt: skip
        Client().patch(
            f"/api/v1/departments/{dept_id}", {"name": "Qua API 2"}, content_type=json_, **api
        )
    with log.expect("API department delete", "DEPARTMENT_DELETED", actor=admin, company=a,
                    object_id=dept_id):  # fmt: skip
        Client().delete(f"/api/v1/departments/{dept_id}", **api)
    with log.expect("API position create", "POSITION_CREATED", actor=admin, company=a):
        Client().post(
            "/api/v1/positions", {"code": "API", "name": "Qua API"}, content_type=json_, **api
        )
    with log.expect("API token create", "API_TOKEN_CREATED", actor=admin, company=a):
        r = Client().post("/api/v1/tokens", {"name": "more"}, content_type=json_, **api)
    with log.expect("API token revoke", "API_TOKEN_REVOKED", actor=admin, company=a):
        Client().post(f"/api/v1/tokens/{r.json()['id']}/revoke", **api)

    # The chain over all of it verifies.
    result = audit.audit_verify()
    log.results["chain verifies after all writes"] = "" if result.ok else result.reason
    total = len(log.results)
    missing = log.missing
    print(
        f"\nT9 audit completeness: {total} write paths checked, {len(missing)} missing "
        f"({result.checked} events chained)"
    )
    assert not missing, "\n".join(f"{k}: {v}" for k, v in missing.items())
    assert Company.objects.filter(code="NEWCO").exists()


# --- tampering ---------------------------------------------------------------------------


def _sql(statements):
    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)


def _drop_triggers():
    if connection.vendor == "postgresql":
        _sql([NO_TRUNCATE.DROP, *TRIGGERS.POSTGRES_REVERSE])
    else:
        _sql(TRIGGERS.SQLITE_REVERSE)


def _create_triggers():
    if connection.vendor == "postgresql":
        _sql([*TRIGGERS.POSTGRES, NO_TRUNCATE.CREATE])
    else:
        _sql(TRIGGERS.SQLITE)


class _Undo(Exception):
    pass


@contextmanager
def tampering():
    """Drop the append-only triggers, tamper, then undo everything (savepoint) and
    put the triggers back."""
    try:
        with transaction.atomic():
            _drop_triggers()
            yield
            raise _Undo
    except _Undo:
        pass
    finally:
        if not _triggers_refuse():
            _create_triggers()


def _triggers_refuse() -> bool:
    refused = 0
    for sql in ("UPDATE core_auditevent SET outcome = 'x'", "DELETE FROM core_auditevent"):
        try:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql)
        except DatabaseError:
            refused += 1
    return refused == 2


def _chain(company, n=12):
    for i in range(n):
        audit.audit_record(
            event_type="TEST_EVENT", company=company, after={"i": i, "amount": "1000000"}
        )
    return n


def _q(sql, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _forge(seq, prev_hash, **fields):
    """A row an attacker computes with the real algorithm."""
    ev = AuditEvent(
        seq=seq,
        created_at=AuditEvent.objects.get(seq=1).created_at,
        event_type=fields.get("event_type", "FORGED"),
        after=fields.get("after"),
        prev_hash=prev_hash,
        outcome="success",
    )
    ev.hash = audit._digest(audit._fields(ev), prev_hash)
    return ev


def test_t9_tampering_detected(company_a):
    n = _chain(company_a)
    assert audit.audit_verify().ok
    checks = {}

    def scenario(name, tamper, *, expect_seq, use_anchor=False, anchor=False):
        if anchor:
            head = audit.audit_verify(use_anchor=False)
            audit.write_anchor(head.heads)
        with tampering():
            tamper()
            result = audit.audit_verify(use_anchor=use_anchor)
        if anchor:
            audit._anchor_path().unlink()
        checks[name] = (not result.ok and result.first_bad_seq == expect_seq, result)

    scenario(
        "edit a row",
        lambda: _q(
            "UPDATE core_auditevent SET after = %s WHERE seq = 5", ['{"i": 4, "amount": "1"}']
        ),
        expect_seq=5,
    )

    def edit_and_rehash():
        ev = AuditEvent.objects.get(seq=5)
        ev.after = {"i": 4, "amount": "1"}
        new_hash = audit._digest(audit._fields(ev), ev.prev_hash)
        _q("UPDATE core_auditevent SET after = %s, hash = %s WHERE seq = 5",
           ['{"i": 4, "amount": "1"}', new_hash])  # fmt: skip

    scenario("edit a row and recompute its hash", edit_and_rehash, expect_seq=6)
    scenario("delete a row", lambda: _q("DELETE FROM core_auditevent WHERE seq = 7"), expect_seq=7)

    def delete_and_renumber():
        _q("DELETE FROM core_auditevent WHERE seq = 7")
        for seq in range(8, n + 1):
            _q("UPDATE core_auditevent SET seq = %s WHERE seq = %s", [seq - 1, seq])

    scenario("delete a row and renumber", delete_and_renumber, expect_seq=7)

    def insert_forged():
        for seq in range(n, 5, -1):  # make room at #6
            _q("UPDATE core_auditevent SET seq = %s WHERE seq = %s", [seq + 1, seq])
        prev = AuditEvent.objects.get(seq=5).hash
        _forge(6, prev, after={"amount": "999999999"}).save(force_insert=True)

    scenario("insert a forged row (valid hash)", insert_forged, expect_seq=7)

    def insert_garbage():
        last = AuditEvent.objects.get(seq=n)
        AuditEvent(
            seq=n + 1, created_at=last.created_at, event_type="FORGED",
            prev_hash=last.hash, hash="f" * 64,
        ).save(force_insert=True)  # fmt: skip

    scenario("append a row with a made-up hash", insert_garbage, expect_seq=n + 1)

    def reorder():
        cols = "created_at, event_type, after, prev_hash, hash"
        with connection.cursor() as cur:
            cur.execute(f"SELECT {cols} FROM core_auditevent WHERE seq = 3")  # noqa: S608
            r3 = cur.fetchone()
            cur.execute(f"SELECT {cols} FROM core_auditevent WHERE seq = 8")  # noqa: S608
            r8 = cur.fetchone()
            # hash is unique: park one row's hash first
            cur.execute("UPDATE core_auditevent SET hash = 'tmp' WHERE seq = 3")
            for seq, row in ((8, r3), (3, r8)):
                cur.execute(
                    "UPDATE core_auditevent SET created_at = %s, event_type = %s, after = %s, "
                    "prev_hash = %s, hash = %s WHERE seq = %s",
                    [row[0], row[1], row[2], row[3], row[4], seq],
                )

    scenario("reorder (swap two rows' contents)", reorder, expect_seq=3)

    def reorder_seq():
        _q("UPDATE core_auditevent SET seq = 1000 WHERE seq = 4")
        _q("UPDATE core_auditevent SET seq = 4 WHERE seq = 9")
        _q("UPDATE core_auditevent SET seq = 9 WHERE seq = 1000")

    scenario("reorder (swap two rows' sequence numbers)", reorder_seq, expect_seq=4)

    def truncate_tail():
        _q("DELETE FROM core_auditevent WHERE seq > %s", [n - 3])

    scenario("truncate the tail (anchor written)", truncate_tail, expect_seq=n - 2,
             use_anchor=True, anchor=True)  # fmt: skip

    def replace_tail():
        _q("DELETE FROM core_auditevent WHERE seq > %s", [n - 3])
        prev = AuditEvent.objects.get(seq=n - 3).hash
        for seq in range(n - 2, n + 1):
            ev = _forge(seq, prev, event_type="FORGED")
            ev.save(force_insert=True)
            prev = ev.hash

    scenario("replace the tail with a valid chain (anchor written)", replace_tail,
             expect_seq=n, use_anchor=True, anchor=True)  # fmt: skip

    # The anchor is what catches a cut tail: without it the shorter chain is consistent.
    with tampering():
        truncate_tail()
        unanchored = audit.audit_verify(use_anchor=False)

    # The append-only triggers are back and the original chain is intact.
    refused = _triggers_refuse()
    intact = audit.audit_verify(use_anchor=False)
    detected = sum(1 for ok, _r in checks.values() if ok)
    print(
        f"\nT9 audit chain: tampering detected {detected}/{len(checks)}; "
        f"UPDATE/DELETE refused by the database: {'yes' if refused else 'NO'}; "
        f"chain intact after: {'yes' if intact.ok and intact.checked == n else 'NO'}"
    )
    failed = {k: (r.first_bad_seq, r.reason) for k, (ok, r) in checks.items() if not ok}
    assert not failed, failed
    assert unanchored.ok, "control: a cut tail without an anchor is not detectable by the chain"
    assert refused
    assert intact.ok
    assert intact.checked == n


def test_t9_database_refuses_update_and_delete(company_a):
    _chain(company_a, 3)
    ev = AuditEvent.objects.get(seq=2)
    attempts = {
        "raw UPDATE": lambda: _q("UPDATE core_auditevent SET event_type = 'X' WHERE seq = 2"),
        "raw DELETE": lambda: _q("DELETE FROM core_auditevent WHERE seq = 2"),
        "ORM save()": lambda: (setattr(ev, "outcome", "x"), ev.save()),
        "ORM delete()": lambda: ev.delete(),
        "queryset.update()": lambda: AuditEvent.objects.filter(seq=2).update(outcome="x"),
        "queryset.delete()": lambda: AuditEvent.objects.all().delete(),
    }
    succeeded = []
    for name, attempt in attempts.items():
        try:
            with transaction.atomic():
                attempt()
        except DatabaseError:
            continue
        succeeded.append(name)
    result = audit.audit_verify(use_anchor=False)
    print(
        f"\nT9 append-only: {len(attempts) - len(succeeded)}/{len(attempts)} writes refused, "
        f"{len(succeeded)} succeeded; chain ok: {result.ok}"
    )
    assert not succeeded, succeeded
    assert result.ok
    assert result.checked == 3


def test_t9_cli_names_the_first_bad_event(company_a):
    from click.testing import CliRunner

    from backoffice.cli import main

    n = _chain(company_a, 6)
    runner = CliRunner()
    ok = runner.invoke(main, ["audit", "verify"])
    anchor = audit.read_anchor()
    with tampering():
        _q("UPDATE core_auditevent SET event_type = 'HIDDEN' WHERE seq = 4")
        bad = runner.invoke(main, ["audit", "verify"])
    with tampering():
        _q("DELETE FROM core_auditevent WHERE seq > 4")
        cut = runner.invoke(main, ["audit", "verify"])
    print(
        f"\nT9 audit verify CLI: clean exit {ok.exit_code}, edited exit {bad.exit_code}, "
        f"cut tail exit {cut.exit_code}"
    )
    assert ok.exit_code == 0, ok.output
    assert f"{n} events" in ok.output
    assert anchor[0][0] == n  # the head is saved outside the database
    assert bad.exit_code != 0
    assert "#4" in bad.output
    assert cut.exit_code != 0
    assert "#5" in cut.output


# --- several chains (concurrent writers on PostgreSQL) -----------------------------------


def _append(chain, event_type="OTHER_WRITER", **after):
    """An event a concurrent writer holding ``chain`` would append (the real algorithm)."""
    last = AuditEvent.objects.filter(chain=chain).order_by("-seq").first()
    ev = AuditEvent(
        chain=chain,
        seq=(last.seq if last else 0) + 1,
        created_at=AuditEvent.objects.order_by("id").first().created_at,
        event_type=event_type,
        after=after or None,
        prev_hash=last.hash if last else audit.GENESIS,
        outcome="success",
    )
    ev.hash = audit._digest(audit._fields(ev), ev.prev_hash)
    ev.save()
    return ev


def test_t9_every_chain_is_verified_and_anchored(company_a):
    """Events in a second chain verify on their own; tampering there, moving an event
    between chains or cutting that chain's tail is detected and named by chain."""
    n = _chain(company_a, 6)
    for i in range(4):
        _append(1, i=i)
    clean = audit.audit_verify(use_anchor=False)
    assert clean.ok, clean.reason
    assert clean.checked == n + 4
    assert {c: s for c, (s, _h) in clean.heads.items()} == {0: n, 1: 4}
    audit.write_anchor(clean.heads)
    assert {c: s for c, (s, _h) in audit.read_anchor().items()} == {0: n, 1: 4}
    cases = {}
    with tampering():
        _q("UPDATE core_auditevent SET after = %s WHERE chain = 1 AND seq = 2", ['{"i": 9}'])
        cases["edit in chain 1"] = audit.audit_verify(use_anchor=False)
    with tampering():
        _q("UPDATE core_auditevent SET chain = 1, seq = 5 WHERE chain = 0 AND seq = %s", [n])
        cases["move chain 0's head to chain 1"] = audit.audit_verify()
    with tampering():
        _q("DELETE FROM core_auditevent WHERE chain = 1 AND seq > 2")
        cases["cut chain 1's tail"] = audit.audit_verify()
        cases["cut chain 1's tail, no anchor"] = audit.audit_verify(use_anchor=False)
    found = {k: (r.ok, r.first_bad_chain, r.first_bad_seq, r.reason) for k, r in cases.items()}
    print(f"\nT9 several chains: {found}")
    assert found["edit in chain 1"][:3] == (False, 1, 2)
    assert "chain 1" in found["edit in chain 1"][3]
    assert found["move chain 0's head to chain 1"][:3] == (False, 1, 5)  # not chain 1's link
    assert found["cut chain 1's tail"][:3] == (False, 1, 3)
    assert found["cut chain 1's tail, no anchor"][0]  # control: only the anchor sees it
    assert audit.audit_verify().ok


def test_t9_anchor_written_before_chains_reads_as_chain_0(company_a):
    n = _chain(company_a, 3)
    head = AuditEvent.objects.get(chain=0, seq=n)
    audit._anchor_path().write_text(f"{n} {head.hash}\n")  # the single-chain format
    assert audit.read_anchor() == {0: (n, head.hash)}
    assert audit.audit_verify().ok
    audit._anchor_path().write_text(f"{n + 1} {head.hash}\n")
    cut = audit.audit_verify()
    assert not cut.ok
    assert cut.first_bad_seq == n + 1


@pytest.mark.django_db(transaction=True)
def test_t9_concurrent_writers_take_separate_chains(company_a):
    """PostgreSQL: while one transaction holds chain 0 (open, not committed), another
    writer appends to chain 1 at once instead of waiting; both chains verify."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: one chain")
    import threading

    from django.db import connections

    holding, release, done = threading.Event(), threading.Event(), {}

    def first_writer():
        try:
            with transaction.atomic():
                done["first"] = audit.audit_record(event_type="HOLDER", company=company_a)
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    t = threading.Thread(target=first_writer)
    t.start()
    try:
        assert holding.wait(30)
        with transaction.atomic():
            with connection.cursor() as cur:  # waiting for chain 0 would fail, not hang
                cur.execute("SET LOCAL lock_timeout = '5s'")
            second = audit.audit_record(event_type="SECOND", company=company_a)
            third = audit.audit_record(event_type="THIRD", company=company_a)
    finally:
        release.set()
        t.join(30)
    assert done["first"].chain == 0
    assert second.chain == third.chain != 0  # a transaction keeps the chain it took
    assert (second.seq, third.seq) == (1, 2)
    lone = audit.audit_record(event_type="LONE", company=company_a)
    assert lone.chain == 0  # a lone writer is back on chain 0
    result = audit.audit_verify(use_anchor=False)
    assert result.ok, result.reason
    assert set(result.heads) == {0, second.chain}

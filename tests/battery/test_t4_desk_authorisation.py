"""T4 authorisation matrix, desk part (the API part lives with the API tests).

Every model registered on the desk x every default role (plus a user with no
role) x {own company, other company}: list, detail, add, export, history,
delete and the lookups (autocomplete, search, job progress, company switch).
The expected allows come from ``core.permissions.ROLE_GRANTS``; a registered
model or a desk URL missing from the tables below fails the test, so a new
module must say who may see its screens.

Rows of the other company (and other users' private rows) carry unique
markers; no page a user in company A can open may contain one of them.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import translation
from t4_base import ANY, Row, Screen  # noqa: F401  (shared with the t4_<app> tables)

from backoffice.core import audit
from backoffice.core.enums import Role
from backoffice.core.middleware import SESSION_KEY
from backoffice.core.models import (
    ApiToken,
    Department,
    Job,
    Membership,
    Notification,
    Position,
    User,
)
from backoffice.core.permissions import ROLE_GRANTS

NO_ROLE = "(no role)"
# A job of another user is shown by its kind's permission (core.jobs.job_kind).
PEER_JOB_KIND = "accounting.journal_import"
PEER_JOB_PERMISSION = "accounting.add_entry"


DESK = {
    "core.department": Screen(
        "core.view_department",
        "core.add_department",
        "core.change_department",
        "core.delete_department",
    ),
    "core.position": Screen(
        "core.view_position", "core.add_position", "core.change_position", "core.delete_position"
    ),
    "core.user": Screen("core.view_user", "core.add_user", "core.change_user", None),
    "core.membership": Screen(
        "core.view_membership", "core.add_membership", None, "core.delete_membership"
    ),
    "core.auditevent": Screen("core.view_auditevent"),
    # own jobs; the company's with core.view_job and the permission of the job's kind
    "core.job": Screen(ANY, rows="jobs"),
    "core.notification": Screen(ANY, rows="mine"),
    "core.apitoken": Screen(ANY, add=ANY, rows="mine"),
    "core.company": Screen(
        "core.view_company", None, "core.change_company", export=False, rows="companies"
    ),  # fmt: skip
    # Platform tables of third-party apps: no role is granted them.
    "axes.accessattempt": Screen("axes.view_accessattempt", export=False, rows="platform"),
    "axes.accesslog": Screen("axes.view_accesslog", export=False, rows="platform"),
    "axes.accessfailurelog": Screen("axes.view_accessfailurelog", export=False, rows="platform"),
    "django_tasks_database.dbtaskresult": Screen(
        "django_tasks_database.view_dbtaskresult", export=False, rows="platform"
    ),
}

# Desk URL names besides each model's changelist/add/change/delete/history/export.
SITE_URLS = {
    "index", "login", "logout", "password_change", "password_change_done", "autocomplete",
    "jsi18n", "view_on_site", "app_list", "search",
}  # fmt: skip
# Extra per-model desk URLs: name -> permission that opens it.
EXTRA_URLS = {"core_job_start_backup": "core.run_backup"}
ACCOUNT_URLS = {"mfa_setup", "mfa_verify", "switch_company", "job_progress"}
# Non-desk URL names of other apps' namespaces: namespace -> names (each app's
# own tests prove who may open them; listing them here says they were thought of).
APP_URLS: dict[str, set[str]] = {}

# Each app adds its screens in tests/battery/t4_<app>.py: DESK, EXTRA_URLS,
# APP_URLS and build_rows(a, b, alpha, bravo) -> {label: {kind: Row}}.
T4_APPS = (
    "records",
    "workflow",
    "accounting",
    "hr",
    "portal",
    "payroll",
    "payroll_public",
    "recruitment",
    "careers",
)
# Table modules (an app with many screens splits its table by area).
T4_TABLES = (
    "records", "workflow", "accounting",
    "hr_employees", "hr_contracts", "hr_leave", "hr_attendance", "hr_onboarding", "portal",
    "payroll",
    "recruitment_requisitions", "recruitment_careers", "recruitment_pipeline",
    "recruitment_interviews", "recruitment_offers",
)  # fmt: skip


def _app_tables():
    from importlib import import_module

    mods = []
    for app in T4_TABLES:
        try:
            mods.append(import_module(f"t4_{app}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"t4_{app}":
                raise
    return mods


for _mod in _app_tables():
    DESK.update(getattr(_mod, "DESK", {}))
    EXTRA_URLS.update(getattr(_mod, "EXTRA_URLS", {}))
    for _ns, _names in getattr(_mod, "APP_URLS", {}).items():
        APP_URLS.setdefault(_ns, set()).update(_names)


def _perms(role) -> set[str]:
    return set(ROLE_GRANTS.get(role, set())) if role != NO_ROLE else set()


def can(role, perm) -> bool:
    if perm is None:
        return False
    if perm == ANY:
        return role != NO_ROLE
    return perm in _perms(role)


# --- data ------------------------------------------------------------------------------


@dataclass
class World:
    a: object
    b: object
    rows: dict[str, dict[str, Row]] = field(default_factory=dict)  # label -> kind -> Row
    mine: dict[str, dict[str, Row]] = field(default_factory=dict)  # role -> label -> Row
    users: dict[str, User] = field(default_factory=dict)

    def invisible(self, role, label=None) -> list[str]:
        """Markers the role's user must never see while working in company A."""
        out = []
        for lbl, kinds in self.rows.items():
            for kind, row in kinds.items():
                if kind != "own" and not visible(role, lbl, kind):
                    out.append(row.marker)
        return out


def visible(role, label, kind) -> bool:
    """Is a row of this kind on this screen visible to the role (working in company A)?"""
    screen = DESK[label]
    if kind.startswith("other") or screen.rows == "platform":
        return False
    if not (can(role, screen.view) or can(role, screen.change)):
        return False
    if kind == "peer-unregistered":
        return False  # a kind without a permission: its starter only (deny by default)
    if kind == "peer":
        return (
            screen.rows == "jobs" and can(role, "core.view_job") and can(role, PEER_JOB_PERMISSION)
        )
    return True


def _token_row(company, user, name):
    prefix = secrets.token_hex(4)
    token = ApiToken.objects.create(
        company=company, user=user, name=name, prefix=prefix, token_hash=secrets.token_hex(32)
    )
    return Row(token, name, str(token.public_id))


def build_world(make_company, make_user) -> World:
    a = make_company("ALPHA", name="ALPHA-COMPANY-NAME")
    b = make_company("BRAVO", name="BRAVO-COMPANY-NAME")
    w = World(a, b)
    alpha = make_user(a, roles=[Role.EMPLOYEE], email="alpha@example.vn", full_name="ALPHA-PERSON")
    bravo = make_user(b, roles=[Role.EMPLOYEE], email="bravo@example.vn", full_name="BRAVO-PERSON")

    def dept(company, tag):
        d = Department.objects.create(company=company, code=f"D-{tag}", name=f"{tag}-DEPT-NAME")
        return Row(d, d.name, str(d.public_id))

    def pos(company, tag):
        p = Position.objects.create(company=company, code=f"P-{tag}", name=f"{tag}-POS-NAME")
        return Row(p, p.name, str(p.public_id))

    def event(company, tag):
        ev = audit.audit_record(event_type="TEST_EVENT", company=company, actor=f"{tag}-EVENT",
                                object_type="test", object_id=tag)  # fmt: skip
        return Row(ev, f"{tag}-EVENT", ev.hash)

    def job(company, user, tag, kind="test"):
        j = Job.objects.create(company=company, created_by=user, kind=kind, message=tag)
        return Row(j, tag, str(j.public_id))

    def note(company, user, tag):
        n = Notification.objects.create(company=company, user=user, title=tag)
        return Row(n, tag, str(n.public_id))

    w.rows = {
        "core.department": {"own": dept(a, "ALPHA"), "other": dept(b, "BRAVO")},
        "core.position": {"own": pos(a, "ALPHA"), "other": pos(b, "BRAVO")},
        "core.user": {
            "own": Row(alpha, "ALPHA-PERSON", str(alpha.public_id)),
            "other": Row(bravo, "BRAVO-PERSON", str(bravo.public_id)),
        },
        "core.membership": {
            "own": _membership_row(alpha, a, "ALPHA-PERSON"),
            "other": _membership_row(bravo, b, "BRAVO-PERSON"),
        },
        "core.auditevent": {"own": event(a, "ALPHA"), "other": event(b, "BRAVO")},
        "core.job": {
            "peer": job(a, alpha, "ALPHA-JOB-PEER", kind=PEER_JOB_KIND),
            "peer-unregistered": job(a, alpha, "ALPHA-JOB-UNREGISTERED"),
            "other": job(b, bravo, "BRAVO-JOB"),
        },
        "core.notification": {
            "peer": note(a, alpha, "ALPHA-NOTE-PEER"),
            "other": note(b, bravo, "BRAVO-NOTE"),
        },
        "core.apitoken": {
            "peer": _token_row(a, alpha, "ALPHA-TOKEN-PEER"),
            "other": _token_row(b, bravo, "BRAVO-TOKEN"),
        },
        "core.company": {
            "own": Row(a, "ALPHA-COMPANY-NAME", str(a.public_id)),
            "other": Row(b, "BRAVO-COMPANY-NAME", str(b.public_id)),
        },
    }
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    common = {"user_agent": "t", "ip_address": "10.9.9.9", "http_accept": "*", "path_info": "/"}
    w.rows["axes.accessattempt"] = {
        "other": Row(
            AccessAttempt.objects.create(
                username="BRAVO-ATTEMPT",
                get_data="",
                post_data="",
                failures_since_start=1,
                **common,
            ),  # fmt: skip
            "BRAVO-ATTEMPT",
            "BRAVO-ATTEMPT",
        )
    }
    w.rows["axes.accesslog"] = {
        "other": Row(
            AccessLog.objects.create(username="BRAVO-LOG", **common), "BRAVO-LOG", "BRAVO-LOG"
        )  # fmt: skip
    }
    w.rows["axes.accessfailurelog"] = {
        "other": Row(
            AccessFailureLog.objects.create(username="BRAVO-FAILURE", locked_out=False, **common),
            "BRAVO-FAILURE",
            "BRAVO-FAILURE",
        )
    }
    w.rows["django_tasks_database.dbtaskresult"] = {}
    for mod in _app_tables():
        if hasattr(mod, "build_rows"):
            w.rows.update(mod.build_rows(a, b, alpha, bravo))

    # One user per role, in company A, with their own private rows.
    for role in [*Role.values, NO_ROLE]:
        tag = role.upper().strip("()").replace(" ", "-")
        user = make_user(a, roles=[] if role == NO_ROLE else [role], email=f"{tag}@example.vn",
                         full_name=f"Role {tag}")  # fmt: skip
        w.users[role] = user
        if role == NO_ROLE:
            continue
        w.mine[role] = {
            "core.job": job(a, user, f"MINE-JOB-{tag}"),
            "core.notification": note(a, user, f"MINE-NOTE-{tag}"),
            "core.apitoken": _token_row(a, user, f"MINE-TOKEN-{tag}"),
        }
        # Their own notification in company B must not show while they work in A.
        Notification.objects.create(company=b, user=user, title="BRAVO-NOTE-MINE")
    w.rows["core.notification"]["other-mine"] = Row(None, "BRAVO-NOTE-MINE", "BRAVO-NOTE-MINE")
    return w


def _membership_row(user, company, marker):
    m = Membership.objects.get(user=user, company=company)
    return Row(m, marker, str(m.public_id))


# --- the matrix ---------------------------------------------------------------------------


class Matrix:
    def __init__(self):
        self.unexpected_allows: list[str] = []
        self.unexpected_denies: list[str] = []
        self.leaks: list[str] = []
        self.checks = 0

    def expect(self, where, allowed, response, *, show=(), hide=(), deny_codes=(302, 403, 404)):
        self.checks += 1
        status = response.status_code
        body = _text(response)
        if allowed and status != 200:
            self.unexpected_denies.append(f"{where}: {status}")
        if not allowed and status not in deny_codes:
            self.unexpected_allows.append(f"{where}: {status}")
        for marker in show:
            if allowed and marker not in body:
                self.unexpected_denies.append(f"{where}: {marker} not shown")
        self.no_leak(where, body, hide)

    def no_leak(self, where, body, hide):
        leaked = [m for m in hide if m in body]
        if leaked:
            self.leaks.append(f"{where}: shows {', '.join(sorted(set(leaked)))}")


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _url(label, name, *args):
    from django.urls import reverse

    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{name}", args=args)


def _csv_index(label) -> str:
    from import_export.formats.base_formats import CSV

    model_admin = admin.site._registry[_model(label)]
    for i, fmt in enumerate(model_admin.get_export_formats()):
        if fmt is CSV:
            return str(i)
    raise AssertionError(f"{label}: no CSV export format")


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def check_role(m: Matrix, w: World, role, client, *, extended: bool) -> None:
    hide_all = w.invisible(role)
    who = f"{role}"
    m.expect(f"{who} desk index", True, client.get("/desk/"), hide=hide_all)
    m.expect(f"{who} search", True, client.get("/desk/search/?s=bravo&extended=1"), hide=hide_all)

    for label, screen in DESK.items():
        kinds = dict(w.rows.get(label, {}))
        if role in w.mine and label in w.mine[role]:
            kinds["own"] = w.mine[role][label]
        shown = [
            r.marker for k, r in kinds.items() if r.obj is not None and visible(role, label, k)
        ]
        hidden = [r.marker for k, r in kinds.items() if not visible(role, label, k)]
        hide = sorted(set(hide_all) | set(hidden))
        may_list = can(role, screen.view) or can(role, screen.change)
        where = f"{who} {label}"

        m.expect(f"{where} list", may_list, client.get(_url(label, "changelist")),
                 show=shown, hide=hide)  # fmt: skip
        if screen.rows != "platform" or extended:
            m.expect(f"{where} add", can(role, screen.add), client.get(_url(label, "add")),
                     hide=hide)  # fmt: skip
        for kind, row in kinds.items():
            if row.obj is None:
                continue
            ok = visible(role, label, kind)
            m.expect(f"{where} detail ({kind})", ok, client.get(_url(label, "change", row.pk)),
                     show=[row.marker] if ok else [], hide=hide)  # fmt: skip
            if kind in ("other", "peer", "peer-unregistered") and (
                extended or screen.rows == "mine"
            ):
                m.expect(f"{where} history ({kind})", ok,
                         client.get(_url(label, "history", row.pk)), hide=hide)  # fmt: skip
                m.expect(f"{where} delete page ({kind})", ok and can(role, screen.delete),
                         client.get(_url(label, "delete", row.pk)), hide=hide)  # fmt: skip
                # A forged POST changes and deletes nothing.
                before = type(row.obj).objects.filter(pk=row.pk).count()
                client.post(_url(label, "delete", row.pk), {"post": "yes"})
                if type(row.obj).objects.filter(pk=row.pk).count() != before:
                    m.unexpected_allows.append(f"{where} forged delete ({kind}) succeeded")
                m.checks += 1
        if screen.export:
            check_export(m, where, label, kinds, role, client, hide)


def check_export(m: Matrix, where, label, kinds, role, client, hide) -> None:
    screen = DESK[label]
    may = can(role, screen.view)
    pks = [str(r.pk) for r in kinds.values() if r.obj is not None]
    visible_rows = [r for k, r in kinds.items() if r.obj is not None and visible(role, label, k)]
    hidden_rows = [r for k, r in kinds.items() if r.obj is not None and not visible(role, label, k)]
    response = client.post(
        _url(label, "changelist"), {"action": "export_admin_action", "_selected_action": pks}
    )
    m.expect(f"{where} export action", may, response, hide=hide)
    if may and response.status_code == 200:
        offered = set(re.findall(r'name="export_items" value="([^"]+)"', _text(response)))
        wrong = offered - {str(r.pk) for r in visible_rows}
        if wrong:
            m.leaks.append(f"{where} export action offers rows {sorted(wrong)}")
    tokens_hidden = [r.token for r in hidden_rows] + hide
    for variant, data in (
        ("selected", {"format": _csv_index(label), "resource": "0", "export_items": pks}),
        ("all", {"format": _csv_index(label), "resource": "0"}),
    ):
        response = client.post(_url(label, "export"), data)
        m.expect(f"{where} export file ({variant})", may, response, hide=tokens_hidden)
        if may and response.status_code == 200:
            body = _text(response)
            if not response.get("Content-Type", "").startswith("text/csv"):
                m.unexpected_denies.append(f"{where} export ({variant}) is not a CSV file")
            for r in visible_rows:
                if r.token not in body:
                    m.unexpected_denies.append(f"{where} export ({variant}) misses its own row")
            for secret_column in ("password", "token_hash", "encrypted_key"):
                if secret_column in body.splitlines()[0].split(","):
                    m.leaks.append(f"{where} export ({variant}) has column {secret_column}")


def check_lookups(m: Matrix, w: World, role, client) -> None:
    """Autocomplete, job progress, view-on-site, company switch."""
    hide = w.invisible(role)
    for app, model, fld, remote in (
        ("core", "department", "parent", "core.department"),
        ("core", "position", "department", "core.department"),
        ("core", "department", "manager", "core.user"),
        ("core", "membership", "user", "core.user"),
    ):
        url = f"/desk/autocomplete/?app_label={app}&model_name={model}&field_name={fld}&term="
        response = client.get(url)
        may = can(role, DESK[remote].view) or can(role, DESK[remote].change)
        m.expect(f"{role} autocomplete {model}.{fld}", may, response, hide=hide,
                 deny_codes=(302, 403, 404))  # fmt: skip
    for kind, row in [*w.rows["core.job"].items(), ("own", w.mine.get(role, {}).get("core.job"))]:
        if row is None:
            continue
        ok = visible(role, "core.job", kind)
        response = client.get(f"/account/jobs/{row.obj.public_id}/progress/")
        m.expect(f"{role} job progress ({kind})", ok, response, deny_codes=(403, 404))
    from django.contrib.contenttypes.models import ContentType

    other = w.rows["core.department"]["other"].obj
    ct = ContentType.objects.get_for_model(other)
    m.expect(f"{role} view on site (other)", False, client.get(f"/desk/r/{ct.pk}/{other.pk}/"),
             hide=hide)  # fmt: skip
    # Switching to a company where one holds no role is refused.
    client.post("/account/company/switch/", {"company": w.b.code, "next": "/desk/"})
    m.checks += 1
    if client.session.get(SESSION_KEY) not in (None, w.a.pk):
        m.unexpected_allows.append(f"{role} switched to a company without a role")


def _representatives():
    """Roles grouped by what they may do on the desk: every group runs the full
    matrix once; every role runs the list pages."""
    relevant = {p for s in DESK.values() for p in (s.view, s.add, s.change, s.delete) if p}
    relevant |= set(EXTRA_URLS.values()) | {"core.view_job"}
    groups: dict[frozenset, str] = {}
    for role in Role.values:
        key = frozenset(_perms(role) & relevant)
        groups.setdefault(key, role)
    return set(groups.values())


def check_url_table(m: Matrix) -> list[str]:
    """Every desk URL name is known to this test."""
    unlisted = []
    registered = {model._meta.label_lower for model in admin.site._registry}
    unlisted += [f"model {label}" for label in sorted(registered - set(DESK))]
    stale = set(DESK) - registered
    unlisted += [f"table lists unregistered model {label}" for label in sorted(stale)]
    per_model = {"changelist", "add", "change", "delete", "history", "export"}
    known = set(SITE_URLS) | set(EXTRA_URLS)
    for label in DESK:
        app, model = label.split(".")
        known |= {f"{app}_{model}_{suffix}" for suffix in per_model}

    def walk(patterns, ns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or ns)
            elif p.name:
                yield ns, p.name

    for ns, name in walk(get_resolver().url_patterns, None):
        if ns == "admin" and name not in known:
            unlisted.append(f"desk URL {name}")
        if ns == "core" and name not in ACCOUNT_URLS:
            unlisted.append(f"account URL {name}")
        if ns in T4_APPS and name not in APP_URLS.get(ns, set()):
            unlisted.append(f"{ns} URL {name}")
    return unlisted


@pytest.mark.django_db
def test_t4_desk_authorisation_matrix(make_company, make_user, desk_login):
    w = build_world(make_company, make_user)
    m = Matrix()
    unlisted = check_url_table(m)
    full = _representatives()
    for role in [*Role.values, NO_ROLE]:
        client = desk_login(Client(), w.users[role], None if role == NO_ROLE else w.a)
        extended = role in full or role == NO_ROLE
        if extended:
            check_role(m, w, role, client, extended=role in (Role.ADMIN, Role.DATA_ANALYST))
            check_lookups(m, w, role, client)
        else:
            hide_all = w.invisible(role)
            for label, screen in DESK.items():
                may = can(role, screen.view) or can(role, screen.change)
                m.expect(f"{role} {label} list", may, client.get(_url(label, "changelist")),
                         hide=hide_all)  # fmt: skip
        # Extra desk URLs (custom admin views).
        for name, perm in EXTRA_URLS.items():
            from django.urls import reverse

            from backoffice.core.selectors import may_back_up_installation

            response = client.get(reverse(f"admin:{name}"))
            # A backup holds every company's data: the role must also be held in all of them.
            allowed = can(role, perm)
            if name == "core_job_start_backup":
                allowed = allowed and may_back_up_installation(user=w.users[role])
            m.expect(f"{role} {name}", allowed, response, hide=w.invisible(role))

    print(
        f"\nT4 desk authorisation: {len(DESK)} screens x {len(Role.values) + 1} roles "
        f"({len(full)} permission groups in full), {m.checks} checks; "
        f"unexpected allows {len(m.unexpected_allows)}, leaks {len(m.leaks)}, "
        f"unexpected denies {len(m.unexpected_denies)}, unlisted endpoints {len(unlisted)}"
    )
    problems = m.unexpected_allows + m.leaks + m.unexpected_denies + unlisted
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_t4_multi_company_user(make_company, make_user, desk_login):
    """A person with roles in two companies sees each company only through the role
    held there, and nothing of the other company on the way."""
    a = make_company("ALPHA", name="ALPHA-COMPANY-NAME")
    b = make_company("BRAVO", name="BRAVO-COMPANY-NAME")
    admin_a = make_user(a, roles=[Role.ADMIN], email="admin-a@example.vn")
    Membership.objects.create(user=admin_a, company=b, role=Role.EMPLOYEE)
    both = make_user(a, roles=[Role.EMPLOYEE], email="both@example.vn", full_name="BOTH-PERSON")
    bdept = Department.objects.create(company=b, code="D-B", name="BRAVO-DEPT-NAME")
    Membership.objects.create(user=both, company=b, role=Role.COLLABORATOR, department=bdept)
    Department.objects.create(company=a, code="D-A", name="ALPHA-DEPT-NAME")
    client = desk_login(Client(), admin_a, a)
    m = Matrix()
    with translation.override("vi"):
        collab_vi = str(Role.COLLABORATOR.label)
    hide = ["BRAVO-DEPT-NAME", collab_vi, "Remote collaborator"]
    m.expect("admin in A: departments", True, client.get("/desk/core/department/"),
             show=["ALPHA-DEPT-NAME"], hide=hide)  # fmt: skip
    m.expect("admin in A: users list (roles held in B)", True, client.get("/desk/core/user/"),
             show=["BOTH-PERSON"], hide=hide)  # fmt: skip
    m.expect("admin in A: user detail (B's role rows)", True,
             client.get(f"/desk/core/user/{both.pk}/change/"), show=["BOTH-PERSON"],
             hide=hide)  # fmt: skip
    m.expect("admin in A: company B card is view-only", True,
             client.get(f"/desk/core/company/{b.pk}/change/"))  # fmt: skip
    client.post(f"/desk/core/company/{b.pk}/change/", {"name": "HIJACKED", "tax_code": "",
                                                       "address": ""})  # fmt: skip
    b.refresh_from_db()
    if b.name != "BRAVO-COMPANY-NAME":
        m.unexpected_allows.append("admin of A renamed company B")
    # Switch to B, where the same person is only an employee.
    client.post("/account/company/switch/", {"company": "BRAVO", "next": "/desk/"})
    m.expect("employee in B: departments", False, client.get("/desk/core/department/"),
             hide=["ALPHA-DEPT-NAME"])  # fmt: skip
    m.expect("employee in B: users", False, client.get("/desk/core/user/"))
    m.expect("employee in B: audit log", False, client.get("/desk/core/auditevent/"))
    print(
        f"\nT4 multi-company user: {m.checks} checks; unexpected allows "
        f"{len(m.unexpected_allows)}, leaks {len(m.leaks)}, unexpected denies "
        f"{len(m.unexpected_denies)}"
    )
    problems = m.unexpected_allows + m.leaks + m.unexpected_denies
    assert not problems, "\n".join(problems)

"""The JSON API under /api/v1/: authentication, company isolation, roles,
errors, pagination, audit and the OpenAPI document."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backoffice.core.enums import Role

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post_json(client, url, data, **extra):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **extra)


def patch_json(client, url, data, **extra):
    return client.patch(url, json.dumps(data), content_type="application/json", **extra)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["extra"], dict)
    return body


def make_department(company, code, name=None, parent=None):
    from backoffice.core.models import Department

    return Department.objects.create(
        company=company, code=code, name=name or f"Phòng {code}", parent=parent
    )


@pytest.fixture
def admin_a(company_a, make_user):
    return make_user(company_a, roles=[Role.ADMIN], email="admin.a@example.vn")


@pytest.fixture
def token_a(admin_a, company_a, api_token):
    return api_token(admin_a, company_a)


# --- token authentication ----------------------------------------------------------
def test_me_shows_the_token_company_and_the_roles_held_there(
    client, company_a, company_b, make_user, api_token
):
    # given a user with roles in two companies and a token for company A
    from backoffice.core.models import Membership

    user = make_user(company_a, roles=[Role.HR_OFFICER, Role.ACCOUNTANT], full_name="Trần Thị B")
    Membership.objects.create(user=user, company=company_b, role=Role.ADMIN)
    raw = api_token(user, company_a)

    # when the token calls /me
    response = client.get(f"{API}/me", **bearer(raw))

    # then the company and roles are those of company A only
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(user.public_id)
    assert body["email"] == user.email
    assert body["full_name"] == "Trần Thị B"
    assert body["company"]["code"] == "ACO"
    assert body["company"]["name"] == "Công ty A"
    assert body["roles"] == sorted([Role.ACCOUNTANT, Role.HR_OFFICER])
    assert "core.add_department" in body["permissions"]
    assert "core.delete_department" not in body["permissions"]  # only admin of company B


def test_token_of_a_user_with_roles_in_two_companies_sees_only_its_company(
    client, company_a, company_b, make_user, api_token
):
    # given an administrator of both companies with a token for company B
    from backoffice.core.models import Membership

    user = make_user(company_a, roles=[Role.ADMIN])
    Membership.objects.create(user=user, company=company_b, role=Role.ADMIN)
    make_department(company_a, "A1")
    b1 = make_department(company_b, "B1")
    raw = api_token(user, company_b)

    # when listing departments
    response = client.get(f"{API}/departments", **bearer(raw))

    # then only company B's are listed
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": str(b1.public_id),
                "code": "B1",
                "name": "Phòng B1",
                "parent_id": None,
                "created_at": response.json()["items"][0]["created_at"],
            }
        ],
        "count": 1,
    }


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer nonsense",
        "Bearer bo_",
        "Bearer bo_deadbeef_wrongsecret",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_missing_or_malformed_credentials_get_401(client, token_a, header):
    # given a request without usable credentials
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    # when it calls the API
    response = client.get(f"{API}/departments", **extra)

    # then it is refused as not authenticated, and told how to authenticate
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


def test_right_prefix_with_wrong_secret_gets_401(client, token_a):
    # given a token whose prefix exists but whose secret is wrong
    prefix, _secret = token_a.rsplit("_", 1)
    forged = f"{prefix}_{'A' * 43}"

    # when it is used
    response = client.get(f"{API}/me", **bearer(forged))

    # then it is refused
    assert_error(response, 401, "not_authenticated")


def test_token_is_stored_hashed(admin_a, company_a):
    # given a freshly created token
    from backoffice.core import services
    from backoffice.core.models import ApiToken

    token, raw = services.api_token_create(actor=admin_a, company=company_a, name="ci")

    # then the database keeps only its prefix and SHA-256 hash, never the raw value
    row = ApiToken.objects.values().get(pk=token.pk)
    assert raw.startswith(f"bo_{row['prefix']}_")
    assert row["token_hash"] == services.hash_token(raw)
    assert row["token_hash"] != raw
    assert all(raw not in str(value) for value in row.values())
    secret = raw.rsplit("_", 1)[1]
    assert all(secret not in str(value) for value in row.values())


def test_revoked_token_gets_401_through_the_api(client, admin_a, company_a, api_token):
    # given two tokens of the same user, one of which is revoked through the API
    from backoffice.core.models import ApiToken, AuditEvent

    keep = api_token(admin_a, company_a, name="keep")
    doomed = api_token(admin_a, company_a, name="doomed")
    assert client.get(f"{API}/me", **bearer(doomed)).status_code == 200
    doomed_row = ApiToken.objects.get(name="doomed")

    response = client.post(f"{API}/tokens/{doomed_row.public_id}/revoke", **bearer(keep))

    # then the revocation is reported and audited
    assert response.status_code == 200
    assert response.json()["id"] == str(doomed_row.public_id)
    assert response.json()["revoked"] is True
    assert AuditEvent.objects.filter(
        event_type="API_TOKEN_REVOKED", object_id=str(doomed_row.public_id)
    ).exists()
    # and the revoked bearer no longer authenticates, while the other one still does
    assert_error(client.get(f"{API}/me", **bearer(doomed)), 401, "not_authenticated")
    assert client.get(f"{API}/me", **bearer(keep)).status_code == 200


def test_revoked_token_gets_401_through_the_service(client, admin_a, company_a, token_a):
    # given a working token
    from backoffice.core import services
    from backoffice.core.models import ApiToken

    assert client.get(f"{API}/departments", **bearer(token_a)).status_code == 200

    # when it is revoked by the service
    services.api_token_revoke(actor=admin_a, token=ApiToken.objects.get(user=admin_a))

    # then the same bearer gets 401
    assert_error(client.get(f"{API}/departments", **bearer(token_a)), 401, "not_authenticated")


def test_a_token_can_revoke_itself(client, admin_a, token_a):
    # given a token revoking itself
    from backoffice.core.models import ApiToken

    row = ApiToken.objects.get(user=admin_a)
    assert client.post(f"{API}/tokens/{row.public_id}/revoke", **bearer(token_a)).status_code == 200

    # then its next call is refused
    assert_error(client.get(f"{API}/me", **bearer(token_a)), 401, "not_authenticated")


def test_expired_token_gets_401(client, admin_a, company_a):
    # given a token that expired a second ago
    from backoffice.core import services

    _token, raw = services.api_token_create(
        actor=admin_a,
        company=company_a,
        name="short",
        expires_at=timezone.now() - timedelta(seconds=1),
    )

    # when it is used, then it is refused
    assert_error(client.get(f"{API}/me", **bearer(raw)), 401, "not_authenticated")


def test_token_with_future_expiry_works(client, admin_a, company_a):
    from backoffice.core import services

    _token, raw = services.api_token_create(
        actor=admin_a, company=company_a, name="day", expires_at=timezone.now() + timedelta(days=1)
    )
    assert client.get(f"{API}/me", **bearer(raw)).status_code == 200


def test_token_of_a_disabled_user_gets_401(client, company_a, make_user, api_token):
    # given a working token whose user is then disabled
    user = make_user(company_a, roles=[Role.HR_OFFICER])
    raw = api_token(user, company_a)
    assert client.get(f"{API}/me", **bearer(raw)).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])

    # then the token no longer authenticates
    assert_error(client.get(f"{API}/me", **bearer(raw)), 401, "not_authenticated")


def test_token_of_a_deactivated_company_gets_401(client, company_a, admin_a, token_a):
    company_a.is_active = False
    company_a.save(update_fields=["is_active"])
    assert_error(client.get(f"{API}/me", **bearer(token_a)), 401, "not_authenticated")


def test_token_use_is_recorded_without_a_write_per_request(client, admin_a, token_a):
    # given a token used twice in a row
    from backoffice.core.models import ApiToken

    client.get(f"{API}/me", **bearer(token_a))
    first = ApiToken.objects.get(user=admin_a).last_used_at
    client.get(f"{API}/me", **bearer(token_a))

    # then its last use is known, and not rewritten within the minute
    assert first is not None
    assert ApiToken.objects.get(user=admin_a).last_used_at == first


def test_token_created_through_the_api_is_shown_once(client, admin_a, token_a):
    # when a token is created through the API
    response = post_json(client, f"{API}/tokens", {"name": "CI"}, **bearer(token_a))

    # then the raw value is in the answer, works, and is never listed again
    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "CI"
    assert created["revoked"] is False
    assert created["token"].startswith(f"bo_{created['prefix']}_")
    assert client.get(f"{API}/me", **bearer(created["token"])).status_code == 200
    listed = client.get(f"{API}/tokens", **bearer(token_a)).json()
    assert listed["count"] == 2
    assert all("token" not in item for item in listed["items"])
    assert created["token"] not in json.dumps(listed)


@pytest.mark.parametrize(
    ("expires_at", "status"),
    [
        ("2030-01-01T00:00:00-17:04", 201),  # legal ISO 8601, beyond PostgreSQL's offsets
        ("2030-01-01T07:00:00+07:00", 201),
        ("2030-01-01T00:00:00", 422),  # no time zone: ambiguous
        ("0001-01-01T00:00:00+01:00", 422),  # before year 1 in UTC
        (0, 422),  # seconds since 1970: not what the schema says
    ],
)
def test_token_expiry_must_be_an_unambiguous_instant(client, token_a, expires_at, status):
    from backoffice.core.models import ApiToken

    response = post_json(
        client, f"{API}/tokens", {"name": "exp", "expires_at": expires_at}, **bearer(token_a)
    )

    assert response.status_code == status, response.content
    if status == 201:
        stored = ApiToken.objects.get(name="exp").expires_at
        assert stored == datetime.fromisoformat(expires_at)
    else:
        assert response.json()["code"] == "validation_error"
        assert not ApiToken.objects.filter(name="exp").exists()


def test_a_user_cannot_see_or_revoke_another_users_token(
    client, company_a, admin_a, token_a, make_user, api_token
):
    # given a colleague's token in the same company
    from backoffice.core.models import ApiToken

    colleague = make_user(company_a, roles=[Role.HR_OFFICER])
    colleague_raw = api_token(colleague, company_a)
    theirs = ApiToken.objects.get(user=colleague)

    # then it is not listed, and revoking it is "not found"
    listed = client.get(f"{API}/tokens", **bearer(token_a)).json()
    assert str(theirs.public_id) not in [t["id"] for t in listed["items"]]
    assert_error(
        client.post(f"{API}/tokens/{theirs.public_id}/revoke", **bearer(token_a)), 404, "not_found"
    )
    assert client.get(f"{API}/me", **bearer(colleague_raw)).status_code == 200


# --- company isolation ---------------------------------------------------------------
@pytest.fixture
def two_companies(company_a, company_b, admin_a, token_a):
    a1 = make_department(company_a, "A1", "Kế toán A")
    a2 = make_department(company_a, "A2", "Nhân sự A", parent=a1)
    b1 = make_department(company_b, "B1", "Kế toán B")
    return {"a1": a1, "a2": a2, "b1": b1}


def test_list_shows_only_the_token_company(client, token_a, two_companies):
    response = client.get(f"{API}/departments", **bearer(token_a))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(d["code"], d["name"]) for d in body["items"]] == [
        ("A1", "Kế toán A"),
        ("A2", "Nhân sự A"),
    ]
    assert body["items"][1]["parent_id"] == str(two_companies["a1"].public_id)
    assert str(two_companies["b1"].public_id) not in response.content.decode()


def test_detail_of_own_department(client, token_a, two_companies):
    a2 = two_companies["a2"]
    response = client.get(f"{API}/departments/{a2.public_id}", **bearer(token_a))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(a2.public_id)
    assert body["code"] == "A2"
    assert body["parent_id"] == str(two_companies["a1"].public_id)


def test_detail_of_another_company_department_is_not_found(client, token_a, two_companies):
    b1 = two_companies["b1"]
    response = client.get(f"{API}/departments/{b1.public_id}", **bearer(token_a))

    body = assert_error(response, 404, "not_found")
    assert "B1" not in json.dumps(body)


def test_update_of_another_company_department_is_not_found_and_changes_nothing(
    client, token_a, two_companies
):
    from backoffice.core.models import AuditEvent, Department

    b1 = two_companies["b1"]
    events = AuditEvent.objects.count()

    response = patch_json(
        client, f"{API}/departments/{b1.public_id}", {"name": "Hacked"}, **bearer(token_a)
    )

    assert_error(response, 404, "not_found")
    b1_after = Department.objects.get(pk=b1.pk)
    assert (b1_after.name, b1_after.code, b1_after.updated_at) == (
        "Kế toán B",
        "B1",
        b1.updated_at,
    )
    assert AuditEvent.objects.count() == events


def test_delete_of_another_company_department_is_not_found_and_changes_nothing(
    client, token_a, two_companies
):
    from backoffice.core.models import AuditEvent, Department

    b1 = two_companies["b1"]
    events = AuditEvent.objects.count()

    response = client.delete(f"{API}/departments/{b1.public_id}", **bearer(token_a))

    assert_error(response, 404, "not_found")
    assert Department.objects.filter(pk=b1.pk).exists()
    assert AuditEvent.objects.count() == events


def test_another_company_department_cannot_be_used_as_parent(client, token_a, two_companies):
    from backoffice.core.models import Department

    b1 = two_companies["b1"]
    a1 = two_companies["a1"]
    before = Department.objects.count()

    created = post_json(
        client,
        f"{API}/departments",
        {"code": "X", "name": "X", "parent_id": str(b1.public_id)},
        **bearer(token_a),
    )
    moved = patch_json(
        client,
        f"{API}/departments/{a1.public_id}",
        {"parent_id": str(b1.public_id)},
        **bearer(token_a),
    )

    assert_error(created, 404, "not_found")
    assert_error(moved, 404, "not_found")
    assert Department.objects.count() == before
    assert Department.objects.get(pk=a1.pk).parent_id is None


def test_other_company_lists_are_empty_for_the_token(client, company_b, make_user, token_a):
    # given company B with a job, a notification and a user
    from backoffice.core.models import Job
    from backoffice.core.notifications import notify

    b_admin = make_user(company_b, roles=[Role.ADMIN])
    Job.objects.create(company=company_b, created_by=b_admin, kind="demo")
    notify(user=b_admin, company=company_b, title="B only")

    # then none of it shows with company A's token
    for path in ("jobs", "notifications", "positions"):
        assert client.get(f"{API}/{path}", **bearer(token_a)).json() == {"items": [], "count": 0}
    users = client.get(f"{API}/users", **bearer(token_a)).json()
    assert [u["email"] for u in users["items"]] == ["admin.a@example.vn"]


# --- roles ---------------------------------------------------------------------------
def test_user_without_a_role_gets_403(client, company_a, make_user, api_token):
    # given a token whose user then loses every role in the company
    from backoffice.core.models import Membership

    user = make_user(company_a, roles=[Role.HR_OFFICER])
    raw = api_token(user, company_a)
    Membership.objects.filter(user=user).delete()

    # then /me shows no roles, and departments are refused
    me = client.get(f"{API}/me", **bearer(raw)).json()
    assert (me["roles"], me["permissions"]) == ([], [])
    body = assert_error(client.get(f"{API}/departments", **bearer(raw)), 403, "permission_denied")
    assert body["extra"] == {"perm": "core.view_department"}


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.COLLABORATOR])
def test_portal_roles_get_403_on_departments(client, company_a, make_user, api_token, role):
    from backoffice.core.models import Department

    user = make_user(company_a, roles=[role])
    raw = api_token(user, company_a)
    dept = make_department(company_a, "KT")

    assert_error(client.get(f"{API}/departments", **bearer(raw)), 403, "permission_denied")
    assert_error(
        client.get(f"{API}/departments/{dept.public_id}", **bearer(raw)), 403, "permission_denied"
    )
    assert_error(
        post_json(client, f"{API}/departments", {"code": "X", "name": "X"}, **bearer(raw)),
        403,
        "permission_denied",
    )
    assert Department.objects.filter(company=company_a).count() == 1


def test_hr_officer_may_create_but_not_delete_departments(client, company_a, make_user, api_token):
    from backoffice.core.models import Department

    user = make_user(company_a, roles=[Role.HR_OFFICER])
    raw = api_token(user, company_a)

    created = post_json(client, f"{API}/departments", {"code": "NS", "name": "NS"}, **bearer(raw))
    assert created.status_code == 201
    dept_id = created.json()["id"]
    denied = client.delete(f"{API}/departments/{dept_id}", **bearer(raw))

    body = assert_error(denied, 403, "permission_denied")
    assert body["extra"] == {"perm": "core.delete_department"}
    assert Department.objects.filter(public_id=dept_id).exists()


def test_audit_log_needs_its_permission(client, company_a, make_user, api_token, token_a):
    accountant = make_user(company_a, roles=[Role.ACCOUNTANT])
    raw = api_token(accountant, company_a)

    assert_error(client.get(f"{API}/audit-events", **bearer(raw)), 403, "permission_denied")
    events = client.get(f"{API}/audit-events", **bearer(token_a))
    assert events.status_code == 200
    items = events.json()["items"]
    assert {e["event_type"] for e in items} >= {"API_TOKEN_CREATED"}
    # newest first, each named by its chain and position (one writer: chain 0)
    assert [(e["chain"], e["seq"]) for e in items] == sorted(
        ((0, e["seq"]) for e in items), reverse=True
    )


# --- the desk session ----------------------------------------------------------------
def test_desk_session_can_read(client, company_a, admin_a, desk_login):
    make_department(company_a, "KT")
    desk_login(client, admin_a, company_a)

    response = client.get(f"{API}/departments")

    assert response.status_code == 200
    assert [d["code"] for d in response.json()["items"]] == ["KT"]
    assert client.get(f"{API}/me").json()["company"]["code"] == "ACO"


def test_desk_session_write_needs_the_csrf_token(company_a, admin_a, desk_login):
    from backoffice.core.models import Department

    # given a logged-in desk session on a client that enforces CSRF
    client = desk_login(Client(enforce_csrf_checks=True), admin_a, company_a)

    # when it posts without the CSRF token, then it is refused and nothing is created
    refused = post_json(client, f"{API}/departments", {"code": "KT", "name": "Kế toán"})
    assert_error(refused, 403, "csrf_failed")
    assert not Department.objects.exists()

    # when it posts with the token (as the docs page and the desk send it), then it works
    assert client.get(f"{API}/docs").status_code == 200
    csrf = client.cookies["csrftoken"].value
    accepted = post_json(
        client, f"{API}/departments", {"code": "KT", "name": "Kế toán"}, HTTP_X_CSRFTOKEN=csrf
    )
    assert accepted.status_code == 201
    assert Department.objects.get().code == "KT"


def test_bearer_request_does_not_need_csrf(company_a, token_a):
    client = Client(enforce_csrf_checks=True)
    response = post_json(
        client, f"{API}/departments", {"code": "KT", "name": "KT"}, **bearer(token_a)
    )
    assert response.status_code == 201


def test_session_with_an_unverified_authenticator_gets_401(client, company_a, admin_a, totp_for):
    # given a user with an authenticator who logged in with the password only
    totp_for(admin_a)
    client.force_login(admin_a, backend="backoffice.core.backends.CompanyRoleBackend")

    # then the API does not accept the half-finished login
    assert_error(client.get(f"{API}/departments"), 401, "not_authenticated")


def test_session_of_a_role_requiring_2fa_without_it_gets_401(client, company_a, make_user):
    # given a chief accountant (posts to the ledger: two-factor required) without an authenticator
    user = make_user(company_a, roles=[Role.CHIEF_ACCOUNTANT])
    client.force_login(user, backend="backoffice.core.backends.CompanyRoleBackend")

    # then the API is not a way around the desk's two-factor rule
    assert_error(client.get(f"{API}/departments"), 401, "not_authenticated")


def test_anonymous_post_is_401_not_a_csrf_failure():
    client = Client(enforce_csrf_checks=True)
    response = post_json(client, f"{API}/departments", {"code": "KT", "name": "KT"})
    assert_error(response, 401, "not_authenticated")


# --- errors --------------------------------------------------------------------------
def test_invalid_payload_is_422_with_the_fields(client, token_a):
    from backoffice.core.models import Department

    response = post_json(
        client, f"{API}/departments", {"code": "", "name": "x" * 201}, **bearer(token_a)
    )

    body = assert_error(response, 422, "validation_error")
    locs = sorted(tuple(e["loc"]) for e in body["extra"]["errors"])
    assert locs == [("body", "payload", "code"), ("body", "payload", "name")]
    assert not Department.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "no code"},
        {"code": "KT", "name": "KT", "unknown": 1},
        {"code": "K\x00T", "name": "NUL"},
        {"code": "KT", "name": "line\nbreak"},
        {"code": None, "name": "KT"},
        [{"code": "KT", "name": "KT"}],
        "5",
        '"text"',
    ],
)
def test_schema_violations_are_422(client, token_a, payload):
    from backoffice.core.models import Department

    response = post_json(client, f"{API}/departments", payload, **bearer(token_a))

    assert_error(response, 422, "validation_error")
    assert not Department.objects.exists()


def test_mark_read_takes_public_ids_only(client, admin_a, company_a, token_a):
    # given an unread notification
    from backoffice.core.notifications import notify

    note = notify(user=admin_a, company=company_a, title="Hello")
    url = f"{API}/notifications/read"

    # when its sequential id or a malformed value is sent, then it is refused
    for bad in ([note.pk], ["not-a-uuid"], [True], [str(note.public_id)] * 501):
        assert_error(
            post_json(client, url, {"ids": bad}, **bearer(token_a)), 422, "validation_error"
        )
    # and by its public id it is marked read
    marked = post_json(client, url, {"ids": [str(note.public_id)]}, **bearer(token_a))
    assert (marked.status_code, marked.json()) == (200, {"marked": 1})
    listed = client.get(f"{API}/notifications", **bearer(token_a)).json()
    assert [(n["id"], n["title"], n["read"]) for n in listed["items"]] == [
        (str(note.public_id), "Hello", True)
    ]


def test_malformed_json_is_400(client, token_a):
    response = post_json(client, f"{API}/departments", "{not json", **bearer(token_a))
    assert_error(response, 400, "bad_request")


def test_path_id_that_is_not_a_uuid_is_422(client, token_a):
    response = client.get(f"{API}/departments/42", **bearer(token_a))
    assert_error(response, 422, "validation_error")


def test_patch_may_not_null_required_fields(client, token_a, company_a):
    dept = make_department(company_a, "KT")
    response = patch_json(
        client, f"{API}/departments/{dept.public_id}", {"name": None}, **bearer(token_a)
    )
    assert_error(response, 422, "validation_error")


def test_duplicate_department_code_is_409_conflict_on_the_code_field(client, token_a, company_a):
    from backoffice.core.models import AuditEvent, Department

    make_department(company_a, "KT")
    events = AuditEvent.objects.count()

    response = post_json(
        client, f"{API}/departments", {"code": "KT", "name": "Again"}, **bearer(token_a)
    )

    body = assert_error(response, 409, "conflict")
    assert list(body["extra"]["fields"]) == ["code"]
    assert Department.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_same_code_in_another_company_is_fine(client, token_a, company_b):
    make_department(company_b, "KT")
    response = post_json(
        client, f"{API}/departments", {"code": "KT", "name": "KT"}, **bearer(token_a)
    )
    assert response.status_code == 201


def test_renaming_to_a_taken_code_is_409(client, token_a, company_a):
    make_department(company_a, "KT")
    ns = make_department(company_a, "NS")

    response = patch_json(
        client, f"{API}/departments/{ns.public_id}", {"code": "KT"}, **bearer(token_a)
    )

    body = assert_error(response, 409, "conflict")
    assert list(body["extra"]["fields"]) == ["code"]
    ns.refresh_from_db()
    assert ns.code == "NS"


def test_duplicate_position_code_is_409(client, token_a, company_a):
    first = post_json(client, f"{API}/positions", {"code": "KTV", "name": "KTV"}, **bearer(token_a))
    again = post_json(client, f"{API}/positions", {"code": "KTV", "name": "KTV"}, **bearer(token_a))

    assert first.status_code == 201
    assert_error(again, 409, "conflict")


def test_duplicate_slipping_past_the_check_is_409_not_500(client, token_a, company_a, monkeypatch):
    # given a concurrent writer: the uniqueness check passes, the insert then fails
    from backoffice.core.models import Department

    make_department(company_a, "KT")
    monkeypatch.setattr(Department, "validate_constraints", lambda self, exclude=None: None)

    response = post_json(
        client, f"{API}/departments", {"code": "KT", "name": "KT"}, **bearer(token_a)
    )

    assert_error(response, 409, "conflict")
    assert Department.objects.count() == 1


def test_moving_a_department_under_itself_is_422(client, token_a, two_companies):
    a1 = two_companies["a1"]
    a2 = two_companies["a2"]
    response = patch_json(
        client,
        f"{API}/departments/{a1.public_id}",
        {"parent_id": str(a2.public_id)},
        **bearer(token_a),
    )
    assert_error(response, 422, "department_cycle")


def test_deleting_a_department_in_use_is_409(client, token_a, two_companies):
    a1 = two_companies["a1"]
    response = client.delete(f"{API}/departments/{a1.public_id}", **bearer(token_a))
    assert_error(response, 409, "department_in_use")


def test_delete_answers_204_without_a_body(client, token_a, company_a):
    from backoffice.core.models import AuditEvent, Department

    dept = make_department(company_a, "TMP")
    response = client.delete(f"{API}/departments/{dept.public_id}", **bearer(token_a))

    assert response.status_code == 204
    assert response.content == b""
    assert not Department.objects.filter(pk=dept.pk).exists()
    assert AuditEvent.objects.filter(
        event_type="DEPARTMENT_DELETED", object_id=str(dept.public_id)
    ).exists()


def test_unexpected_error_is_a_json_500_without_details(client, token_a, monkeypatch):
    from backoffice.core import selectors

    def boom(**kwargs):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(selectors, "department_list", boom)

    response = client.get(f"{API}/departments", **bearer(token_a))

    body = assert_error(response, 500, "server_error")
    assert "secret" not in response.content.decode()
    assert body["extra"] == {}


# --- pagination ----------------------------------------------------------------------
def test_lists_are_paginated(client, token_a, company_a):
    for code in ("D1", "D2", "D3", "D4", "D5"):
        make_department(company_a, code)

    page2 = client.get(f"{API}/departments?page=2&page_size=2", **bearer(token_a)).json()
    page3 = client.get(f"{API}/departments?page=3&page_size=2", **bearer(token_a)).json()
    beyond = client.get(f"{API}/departments?page=9&page_size=2", **bearer(token_a)).json()
    default = client.get(f"{API}/departments", **bearer(token_a)).json()

    assert set(page2) == {"items", "count"}
    assert ([d["code"] for d in page2["items"]], page2["count"]) == (["D3", "D4"], 5)
    assert ([d["code"] for d in page3["items"]], page3["count"]) == (["D5"], 5)
    assert (beyond["items"], beyond["count"]) == ([], 5)
    assert [d["code"] for d in default["items"]] == ["D1", "D2", "D3", "D4", "D5"]


@pytest.mark.parametrize(
    "query", ["page=0", "page_size=0", "page_size=101", "page=x", "page=1&page=2"]
)
def test_bad_pagination_is_422(client, token_a, query):
    response = client.get(f"{API}/departments?{query}", **bearer(token_a))
    assert_error(response, 422, "validation_error")


def test_page_size_is_at_most_100(client, token_a, company_a):
    from backoffice.core.models import Department

    Department.objects.bulk_create(
        Department(company=company_a, code=f"D{i:03}", name=f"D{i}") for i in range(105)
    )
    body = client.get(f"{API}/departments", **bearer(token_a)).json()
    assert (len(body["items"]), body["count"]) == (100, 105)


# --- audit ---------------------------------------------------------------------------
def test_create_through_the_api_is_audited(client, token_a, admin_a, company_a):
    from backoffice.core.models import AuditEvent, Department

    response = post_json(
        client, f"{API}/departments", {"code": "KT", "name": "Kế toán"}, **bearer(token_a)
    )

    assert response.status_code == 201
    dept = Department.objects.get(public_id=response.json()["id"])
    event = AuditEvent.objects.get(event_type="DEPARTMENT_CREATED")
    assert event.company_id == company_a.pk
    assert event.actor_id == admin_a.pk
    assert event.object_id == str(dept.public_id)
    assert event.after["code"] == "KT"
    assert event.after["name"] == "Kế toán"


def test_failed_create_writes_no_audit_event(client, token_a, company_a):
    from backoffice.core.models import AuditEvent

    make_department(company_a, "KT")
    events = AuditEvent.objects.count()

    post_json(client, f"{API}/departments", {"code": "KT", "name": "dup"}, **bearer(token_a))
    post_json(client, f"{API}/departments", {"code": "", "name": "bad"}, **bearer(token_a))

    assert AuditEvent.objects.count() == events
    assert not AuditEvent.objects.filter(event_type="DEPARTMENT_CREATED").exists()


def test_department_and_its_audit_event_share_one_transaction(
    client, token_a, company_a, monkeypatch
):
    # given an audit log that fails to write
    from backoffice.core import services
    from backoffice.core.models import Department

    def broken_audit(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "audit_record", broken_audit)

    # when a department is created
    response = post_json(
        client, f"{API}/departments", {"code": "KT", "name": "KT"}, **bearer(token_a)
    )

    # then the request fails and the department was not kept either
    assert_error(response, 500, "server_error")
    assert not Department.objects.exists()


# --- OpenAPI and docs ----------------------------------------------------------------
def test_openapi_document_lists_the_operations(client, db):
    response = client.get(f"{API}/openapi.json")

    assert response.status_code == 200
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "Back Office API"
    assert {
        "/api/v1/me",
        "/api/v1/departments",
        "/api/v1/departments/{dept_id}",
        "/api/v1/positions",
        "/api/v1/users",
        "/api/v1/audit-events",
        "/api/v1/jobs",
        "/api/v1/jobs/{job_id}",
        "/api/v1/notifications",
        "/api/v1/notifications/read",
        "/api/v1/tokens",
        "/api/v1/tokens/{token_id}/revoke",
    } <= set(doc["paths"])
    assert set(doc["paths"]["/api/v1/departments/{dept_id}"]) == {"get", "patch", "delete"}
    assert set(doc["components"]["securitySchemes"]) == {"TokenAuth", "SessionCompanyAuth"}
    error = doc["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"code", "message", "extra"}
    # constraints are JSON Schema keywords, not pydantic's names for them
    text = response.content.decode()
    assert [k for k in ('"ge":', '"le":', '"gt":', '"lt":') if k in text] == []
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            assert {"401", "403", "422"} <= set(op["responses"]), f"{method} {path}"


def test_docs_page_is_served_and_self_contained(client, db):
    from django.conf import settings

    response = client.get(f"{API}/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/openapi.json" in html
    if "ninja" not in settings.INSTALLED_APPS:
        pytest.xfail(
            "django-ninja renders Swagger UI from cdn.jsdelivr.net unless 'ninja' is in "
            "INSTALLED_APPS; the CSP (and an offline machine) blocks it"
        )
    assert "cdn.jsdelivr.net" not in html
    assert "https://" not in html


def test_unknown_api_path_is_a_json_404(client, token_a):
    response = client.get("/api/v1/no-such-thing", **bearer(token_a))
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("path", ["/api/v1/hr/onboarding/cases", "/api/v1/departments"])
def test_a_nul_byte_in_the_query_is_refused_before_the_database(client, token_a, path):
    # given a filter value with a NUL byte (PostgreSQL cannot hold one in text)
    response = client.get(path, {"state": "a\x00b"}, **bearer(token_a))

    # then the API answers 400 in its error shape, not a server error
    assert_error(response, 400, "invalid_input")


def test_a_nul_byte_in_a_desk_query_is_a_bad_request(client):
    response = client.get("/desk/login/", {"next": "\x00"})
    assert response.status_code == 400

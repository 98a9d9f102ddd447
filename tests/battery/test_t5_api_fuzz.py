"""T5 — API fuzz: schemathesis over /api/v1/openapi.json, in process, fixed seed.

Every operation of the OpenAPI document is fuzzed with positive and negative
data through the real WSGI application, as two users in two companies (each
the administrator of their own company, with a bearer token). All of
schemathesis' built-in checks run (not a server error, status code / content
type / headers / response schema conformance, schema-valid data accepted,
schema-violating data rejected, auth not ignored, ...), plus two of ours:

* nothing of the other company (ids, token) ever appears in a response;
* operations addressed with the other company's ids answer 404, always.

Operations with a path id are also fuzzed with a real id of the user's own
company, so updates, deletes and revocations are exercised, not only 404s;
and every operation must answer 2xx at least once, so a broken
authentication cannot pass as "no failures".

Bounded: ``T5_MAX_EXAMPLES`` examples per operation, mode and user (default
12; ``make battery`` may raise it); derandomized, so every run is the same.
Prints one line: ``T5 API fuzz: operations=N ... failures=F``.
"""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict

import pytest

MAX_EXAMPLES = int(os.environ.get("T5_MAX_EXAMPLES", "12"))
ID_EXAMPLES = max(4, MAX_EXAMPLES // 3)
SCHEMA_PATH = "/api/v1/openapi.json"


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, minus the per-request connection recycling.

    Django closes "old" connections when a request starts and ends; inside the
    test's transaction that would abort it. Django's own test client
    disconnects the same handlers for the same reason.
    """
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _seed(company, make_user, api_token, email) -> dict:
    """An administrator with a token, a department tree, a position, a job, a notification."""
    from backoffice.core import services
    from backoffice.core.enums import Role
    from backoffice.core.models import Job
    from backoffice.core.notifications import notify

    admin = make_user(company, roles=[Role.ADMIN], email=email)
    admin.active_company = company
    root = services.department_create(actor=admin, company=company, code="ROOT", name="Ban GĐ")
    child = services.department_create(
        actor=admin, company=company, code="KT", name="Phòng Kế toán", parent=root
    )
    leaf = services.department_create(actor=admin, company=company, code="TMP", name="Tạm")
    pos = services.position_create(
        actor=admin, company=company, code="KTV", name="Kế toán viên", department=child
    )
    job = Job.objects.create(company=company, created_by=admin, kind="demo")
    notify(user=admin, company=company, title="Xin chào")
    raw = api_token(admin, company, name="fuzz")
    spare, _spare_raw = services.api_token_create(actor=admin, company=company, name="spare")
    # Ids an operation may be addressed with (own company: real work; other: 404).
    path_ids = {"dept_id": leaf.public_id, "job_id": job.public_id, "token_id": spare.public_id}
    secrets = {
        str(admin.public_id),
        *(str(o.public_id) for o in (root, child, leaf, pos, job, spare)),
        *(str(t.public_id) for t in admin.api_tokens.all()),
        raw,
    }
    # Each app seeds its own rows (tests/battery/t5_<app>.py: seed(company, admin) ->
    # (path ids by path-parameter name, strings that must never leak to the other company)).
    # A module may also list NO_2XX_EXPECTED = {"METHOD /api/v1/...": "why"}: operations that
    # random data cannot make succeed (the app's own tests cover their success path).
    for mod in _app_seeders():
        ids, app_secrets = mod.seed(company, admin)
        path_ids.update(ids)
        secrets |= {str(s) for s in app_secrets} | {str(v) for v in ids.values()}
    return {"token": raw, "path_ids": path_ids, "secrets": secrets}


T5_APPS = (
    "records", "workflow", "accounting",
    "hr_employees", "hr_contracts", "hr_leave", "hr_attendance", "hr_onboarding", "portal",
    "payroll",
    "recruitment_requisitions", "recruitment_careers", "recruitment_pipeline",
    "recruitment_interviews", "recruitment_offers",
)  # fmt: skip


def _app_seeders():
    from importlib import import_module

    mods = []
    for app in T5_APPS:
        try:
            mods.append(import_module(f"t5_{app}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"t5_{app}":
                raise
    return mods


def schema_valid_data_accepted(ctx, response, case):
    """Schemathesis' positive-data check, minus business refusals.

    Schema-valid input may still break a business rule (an unbalanced entry, a
    file type we refuse): a 4xx carrying one of our error codes is a correct
    answer. What must never happen is the request validator itself (422 with
    per-field ``errors``) or a bare 400 refusing data the schema allows.
    """
    from schemathesis import GenerationMode

    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return True
    if (case.media_type or "").startswith("multipart/"):
        # Multipart cannot carry a JSON null, and Django drops an empty file part:
        # schemathesis' "valid" forms are not always expressible. Uploads are
        # covered by the apps' own tests (type, size and refusal codes).
        return True
    if response.status_code in (400, 422):
        try:
            body = response.json()
        except ValueError:
            body = {}
        extra = body.get("extra") or {}
        if response.status_code == 400 and body.get("code") in (None, "bad_request"):
            raise AssertionError(f"schema-valid request refused: {response.text[:300]}")
        if response.status_code == 422 and "errors" in extra:
            raise AssertionError(
                f"schema-valid request refused by the validator: {response.text[:300]}"
            )
    return True


def _fuzz(operation, mode, *, headers, checks, max_examples, path_parameters, stats) -> dict:
    """Fuzz one operation in one mode; return the distinct failures, first example each."""
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import positive_data_acceptance
    from schemathesis.core.failures import FailureGroup

    seen: dict[str, str] = {}
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        stats["cases"] += 1
        try:
            case.call_and_validate(
                headers=headers,
                additional_checks=checks,
                excluded_checks=[positive_data_acceptance],
            )
        except FailureGroup as exc:
            for failure in exc.exceptions:
                key = f"{type(failure).__name__}: {failure.title}"
                seen.setdefault(key, f"{key}\n{exc.message[:2000]}")
        except AssertionError as exc:
            seen.setdefault(str(exc)[:200], str(exc)[:2000])

    run()
    return seen


def test_t5_api_fuzz(db, wsgi_app, company_a, company_b, make_user, api_token):
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.core.result import Ok

    seeds = {
        "A": _seed(company_a, make_user, api_token, "admin.a@example.vn"),
        "B": _seed(company_b, make_user, api_token, "admin.b@example.vn"),
    }
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, wsgi_app)
    results = list(schema.get_all_operations())
    broken = [r for r in results if not isinstance(r, Ok)]
    assert not broken, f"operations schemathesis cannot read: {broken}"
    # Deletions last: an operation addressed by the seeded id must find it alive.
    operations = sorted((r.ok() for r in results), key=lambda op: op.method.upper() == "DELETE")
    exempt = {}
    for mod in _app_seeders():
        exempt.update(getattr(mod, "NO_2XX_EXPECTED", {}))

    statuses: dict[tuple[str, str], Counter] = defaultdict(Counter)
    stats = {"cases": 0}
    failures: list[str] = []
    started = time.monotonic()
    for me, other in (("A", "B"), ("B", "A")):
        headers = {"Authorization": f"Bearer {seeds[me]['token']}"}
        other_secrets = seeds[other]["secrets"]

        def record(ctx, response, case, me=me):
            statuses[(me, case.operation.label)][response.status_code] += 1
            return True

        def no_cross_company_leak(ctx, response, case, other=other, secrets=other_secrets):
            text = response.content.decode("utf-8", "replace") if response.content else ""
            leaked = sorted(s for s in secrets if s in text)
            if leaked:
                raise AssertionError(f"response shows data of company {other}: {leaked}")
            return True

        def other_company_id_is_not_found(ctx, response, case):
            if response.status_code != 404:
                raise AssertionError(
                    f"addressed with an id of another company, answered "
                    f"{response.status_code} instead of 404"
                )
            return True

        checks = [record, no_cross_company_leak, schema_valid_data_accepted]
        for operation in operations:
            runs = [(mode.value, mode, None, MAX_EXAMPLES, checks) for mode in GenerationMode]
            params = [p.name for p in operation.path_parameters]
            if params and all(p in seeds[me]["path_ids"] for p in params):
                own = {p: str(seeds[me]["path_ids"][p]) for p in params}
                theirs = {p: str(seeds[other]["path_ids"][p]) for p in params}
                runs += [
                    ("own ids", GenerationMode.POSITIVE, own, ID_EXAMPLES, checks),
                    (
                        "other company's ids",
                        GenerationMode.POSITIVE,
                        theirs,
                        ID_EXAMPLES,
                        [*checks, other_company_id_is_not_found],
                    ),
                ]
            for label, mode, path_parameters, max_examples, run_checks in runs:
                seen = _fuzz(
                    operation,
                    mode,
                    headers=headers,
                    checks=run_checks,
                    max_examples=max_examples,
                    path_parameters=path_parameters,
                    stats=stats,
                )
                failures += [
                    f"[user {me}] {operation.label} ({label}): {msg}" for msg in seen.values()
                ]
    elapsed = time.monotonic() - started

    never_ok = [
        f"user {me}: {op.label} {dict(statuses[(me, op.label)])}"
        for me in seeds
        for op in operations
        if not any(200 <= code < 300 for code in statuses[(me, op.label)])
        and op.label not in exempt
    ]
    total = Counter()
    for counter in statuses.values():
        for code, n in counter.items():
            total[f"{code // 100}xx"] += n
    print(
        f"\nT5 API fuzz: operations={len(operations)} users=2 cases={stats['cases']} "
        f"responses={dict(sorted(total.items()))} never_2xx={len(never_ok)} "
        f"failures={len(failures)} seconds={elapsed:.1f}"
    )
    assert not failures, "\n\n".join(failures)
    assert not never_ok, "operations that never answered 2xx:\n" + "\n".join(never_ok)

"""A journal-import job carries the file's name and its row errors (amounts,
account codes): it is shown only to the person who ran it and to those who hold
``core.view_job`` *and* the permission of its kind (``accounting.add_entry``),
never to an HR manager or an administrator without accounting rights, on the
desk (list, change page, progress) or through the API (list, detail)."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from django.test import Client

from backoffice.accounting.admin import JOURNAL_IMPORT_JOB
from backoffice.accounting.tests.ledger_helpers import books, person
from backoffice.core.enums import JobStatus, Role
from backoffice.core.jobs import job_enqueue, job_run
from backoffice.core.selectors import dashboard_figures, job_list

pytestmark = pytest.mark.django_db

FILENAME = "so-nhat-ky-thang-3-bi-mat.csv"
CSV = (
    "entry,date,journal,description,account,debit,credit,currency\n"
    "1,2026-03-10,,Chi lương,642,15000000,,\n"
    "1,2026-03-10,,Chi lương,99999,,15000000,\n"
)


@pytest.fixture
def world(make_company, make_user):
    company = books(make_company, "ACO")
    people = {
        "accountant": person(make_user, company, Role.ACCOUNTANT),
        "chief": person(make_user, company, Role.CHIEF_ACCOUNTANT),
        "hr_manager": person(make_user, company, Role.HR_MANAGER),
        "admin": person(make_user, company, Role.ADMIN),
        "operations": person(make_user, company, Role.OPERATIONS_MANAGER),
    }
    folder = settings.HOME / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"journal-{uuid.uuid4().hex}.csv"
    path.write_text(CSV, encoding="utf-8")
    job = job_enqueue(
        actor=people["accountant"], company=company, kind=JOURNAL_IMPORT_JOB,
        params={"path": str(path), "filename": FILENAME},
    )  # fmt: skip
    job = job_run(job_id=job.pk)
    assert job.status == JobStatus.FAILED
    assert "99999" in job.error
    return company, people, job


def _api(api_token, user, company):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}")


@pytest.mark.parametrize("role", ["hr_manager", "admin", "operations"])
def test_a_role_without_the_import_permission_never_sees_the_job(
    world, role, api_token, desk_login
):
    company, people, job = world
    user = people[role]
    assert user.has_perm("core.view_job")
    assert not user.has_perm("accounting.add_entry")
    assert not job_list(user=user, company=company).exists()
    assert dashboard_figures(user=user, company=company)["jobs_failed"] == 0
    desk = desk_login(Client(), user, company)
    listing = desk.get("/desk/core/job/")
    assert listing.status_code == 200
    assert str(job.public_id) not in listing.content.decode()
    assert f"/desk/core/job/{job.pk}/change/" not in listing.content.decode()
    detail = desk.get(f"/desk/core/job/{job.pk}/change/")
    assert detail.status_code in (302, 403, 404)
    assert "99999" not in detail.content.decode()
    assert FILENAME not in detail.content.decode()
    progress = desk.get(f"/account/jobs/{job.public_id}/progress/")
    assert progress.status_code == 404
    assert "99999" not in progress.content.decode()
    api = _api(api_token, user, company)
    assert api.get("/api/v1/jobs").json() == {"items": [], "count": 0}
    response = api.get(f"/api/v1/jobs/{job.public_id}")
    assert response.status_code == 404
    assert "99999" not in response.content.decode()


@pytest.mark.parametrize("role", ["accountant", "chief"])
def test_the_accountant_who_ran_it_and_the_chief_accountant_see_it(
    world, role, api_token, desk_login
):
    company, people, job = world
    user = people[role]
    assert list(job_list(user=user, company=company)) == [job]
    desk = desk_login(Client(), user, company)
    assert f"/desk/core/job/{job.pk}/change/" in desk.get("/desk/core/job/").content.decode()
    detail = desk.get(f"/desk/core/job/{job.pk}/change/")
    assert detail.status_code == 200
    assert "99999" in detail.content.decode()
    assert desk.get(f"/account/jobs/{job.public_id}/progress/").json()["status"] == "failed"
    api = _api(api_token, user, company)
    assert [j["id"] for j in api.get("/api/v1/jobs").json()["items"]] == [str(job.public_id)]
    response = api.get(f"/api/v1/jobs/{job.public_id}")
    assert response.status_code == 200
    assert "99999" in response.json()["error"]


def test_another_accountant_without_view_job_sees_only_their_own(world, make_user):
    company, _people, job = world
    colleague = person(make_user, company, Role.ACCOUNTANT)
    assert colleague.has_perm("accounting.add_entry")
    assert not colleague.has_perm("core.view_job")
    assert not job_list(user=colleague, company=company).exists()

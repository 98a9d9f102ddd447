"""Confidentiality of payroll: who reaches runs, payslips and amounts on the
desk (pages, exports, PDF, bank file), the API and the CLI-free services.

Only the payroll officer and the HR manager see per-person amounts; the
payroll officer alone makes the bank file and sends payslips; the chief
accountant and the data analyst see totals only; an HR officer (no salary),
a line manager, an employee and another company's payroll officer see
nothing (an employee: their own payslips in the portal, proven in
``test_payslips_portal``). Every refusal is checked for leaked amounts.
"""

from __future__ import annotations

import pytest
from django.test import Client

from backoffice.payroll.tests.h3_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(company_a, company_b, make_user):
    return build(company_a, company_b, make_user)


# Per-person amounts of the world (net of each March payslip, the other company's gross).
SECRETS = ["25.215.000", "25215000", "39.537.500", "39537500", "17.780.000", "17780000",
           "99.999.000", "99999000", "0071000123456", "NGUYEN THI LAN"]  # fmt: skip
ROLES = ["payroll", "hr_manager", "hr_officer", "chief", "analyst", "accountant", "manager",
         "staff", "outsider"]  # fmt: skip
PER_PERSON = {"payroll", "hr_manager"}
AGGREGATES = {"payroll", "hr_manager", "chief", "analyst"}


def _desk_urls(w) -> list[tuple[str, str, set[str]]]:
    """(label, url, roles allowed)"""
    run, slip = w.march.public_id, w.slips["staff"].public_id
    return [
        ("register", f"/desk/payroll/reports/?report=register&run={run}", PER_PERSON),
        ("register xlsx", f"/desk/payroll/reports/?report=register&run={run}&export=xlsx",
         PER_PERSON),
        ("insurance", "/desk/payroll/reports/?report=insurance&year=2026&month=3", PER_PERSON),
        ("pit xlsx", "/desk/payroll/reports/?report=pit&year=2026&quarter=1&export=xlsx",
         PER_PERSON),
        ("finalisation", "/desk/payroll/reports/?report=finalisation&year=2026", PER_PERSON),
        ("totals", "/desk/payroll/reports/totals/?year=2026", AGGREGATES),
        ("payslip pdf", f"/desk/payroll/payslips/{slip}/pdf/", PER_PERSON),
        ("bank file", f"/desk/payroll/runs/{run}/bank-file/", {"payroll"}),
        ("collaborator payments", "/desk/payroll/collaborators/payments/", {"payroll"}),
        ("collaborator withholding", "/desk/payroll/collaborators/withholding/?year=2026",
         PER_PERSON),
        # the runs area's pages: runs and totals for aggregates roles, payslips for staff
        ("runs", "/desk/payroll/runs/", AGGREGATES),
        ("run", f"/desk/payroll/runs/{run}/", AGGREGATES),
        ("run register xlsx", f"/desk/payroll/runs/{run}/register.xlsx", PER_PERSON),
        ("run payslip", f"/desk/payroll/runs/{run}/payslips/{slip}/", PER_PERSON),
    ]  # fmt: skip


def _api_urls(w) -> list[tuple[str, str, set[str]]]:
    run, slip = w.march.public_id, w.slips["staff"].public_id
    base = "/api/v1/payroll"
    return [
        ("register", f"{base}/reports/register?run_id={run}", PER_PERSON),
        ("register xlsx", f"{base}/reports/register?run_id={run}&format=xlsx", PER_PERSON),
        ("insurance", f"{base}/reports/insurance?year=2026&month=3", PER_PERSON),
        ("pit", f"{base}/reports/pit?year=2026&quarter=1", PER_PERSON),
        ("finalisation", f"{base}/reports/finalisation?year=2026", PER_PERSON),
        ("totals", f"{base}/reports/totals?year=2026", AGGREGATES),
        ("payslip pdf", f"{base}/payslips/{slip}/pdf", PER_PERSON),
        ("bank file", f"{base}/runs/{run}/bank-file", {"payroll"}),
        ("collaborator payments", f"{base}/collaborator-payments", {"payroll"}),
        ("collaborator withholding", f"{base}/collaborator-withholding?year=2026", PER_PERSON),
    ]  # fmt: skip


def _body(response) -> str:
    if response.get("Content-Type", "").startswith(("application/pdf", "application/vnd")):
        return ""  # binary: the status code is what matters; allowed ones are read in tests
    return response.content.decode(errors="replace")


def _company(w, role):
    return w.b if role == "outsider" else w.a


def _expect(w, role, url, allowed) -> tuple[bool, list[str]]:
    """(allowed?, markers it must not show). Another company's payroll officer
    reads their own company's period reports, never a row or an id of company A."""
    if role != "outsider":
        return role in allowed, SECRETS
    own_ids = [str(x) for x in (w.march.public_id, w.slips["staff"].public_id)]
    mine = [s for s in SECRETS if s not in ("99.999.000", "99999000")]
    return (not any(i in url for i in own_ids)) and "payroll" in allowed, mine


def _walk(w, role, client, urls, deny_codes) -> list[str]:
    """Open every URL; the problems: a refusal where allowed, an answer where not,
    an amount of someone the role may not see."""
    problems = []
    for label, url, allowed in urls:
        response = client.get(url)
        ok, secrets = _expect(w, role, url, allowed)
        if ok and response.status_code != 200:
            problems.append(f"{label}: refused ({response.status_code})")
        if not ok and response.status_code not in deny_codes:
            problems.append(f"{label}: allowed ({response.status_code})")
        aggregates_only = label in ("totals", "runs", "run") and role not in PER_PERSON
        if not ok or aggregates_only or role == "outsider":
            leaked = [s for s in secrets if s in _body(response)]
            if leaked:
                problems.append(f"{label}: shows {leaked}")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_desk_pages_exports_pdf_bank_file(world, role, desk_login):
    client = desk_login(Client(), world.users[role], _company(world, role))
    problems = _walk(world, role, client, _desk_urls(world), (302, 403, 404))
    assert not problems, problems


@pytest.mark.parametrize("role", ROLES)
def test_api(world, role, api_token):
    token = api_token(world.users[role], _company(world, role))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    problems = _walk(world, role, client, _api_urls(world), (403, 404))
    # Nobody reads someone else's payslip through "my payslips".
    for key in ("staff", "other", "manager", "bravo"):
        if role == key:
            continue
        response = client.get(f"/api/v1/payroll/my-payslips/{world.slips[key].public_id}")
        if response.status_code != 404:
            problems.append(f"my-payslips/{key}: {response.status_code}")
    assert not problems, problems


@pytest.mark.parametrize("role", ["hr_manager", "hr_officer", "analyst", "manager", "staff",
                                  "outsider"])  # fmt: skip
def test_writes_are_refused(world, role, desk_login, api_token):
    """E-mailing payslips and the bank file: the payroll officer only."""
    from django.core import mail

    from backoffice.core.models import AuditEvent

    desk = desk_login(Client(), world.users[role], _company(world, role))
    slip, run = world.slips["staff"].public_id, world.march.public_id
    assert desk.post(f"/desk/payroll/payslips/{slip}/email/").status_code in (302, 403, 404)
    assert desk.post(f"/desk/payroll/runs/{run}/email-payslips/").status_code in (302, 403, 404)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(world.users[role], _company(world, role))}")
    assert api.post(f"/api/v1/payroll/payslips/{slip}/email").status_code in (403, 404)
    assert api.post(f"/api/v1/payroll/runs/{run}/email-payslips").status_code in (403, 404)
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(
        event_type__in=["PAYSLIP_EMAILED", "JOB_ENQUEUED", "PAYROLL_BANK_FILE_EXPORTED"]
    ).exists()
    world.slips["staff"].refresh_from_db()
    assert world.slips["staff"].emailed_at is None


def test_payroll_officer_reads_what_others_cannot(world, desk_login):
    """The allowed side of the table above shows the figures (so the refusals mean something)."""
    client = desk_login(Client(), world.users["payroll"], world.a)
    register = client.get(f"/desk/payroll/reports/?report=register&run={world.march.public_id}")
    assert "25.215.000 ₫" in register.content.decode()
    assert "99.999.000" not in register.content.decode()  # never the other company's
    bank = client.get(f"/desk/payroll/runs/{world.march.public_id}/bank-file/")
    assert b"0071000123456" in bank.content
    other = client.get(f"/desk/payroll/payslips/{world.slips['bravo'].public_id}/pdf/")
    assert other.status_code == 404
    other_run = client.get(f"/desk/payroll/runs/{world.bravo_run.public_id}/bank-file/")
    assert other_run.status_code == 404
    for run in (world.bravo_run.public_id, "not-a-uuid"):
        page = client.get(f"/desk/payroll/reports/?report=register&run={run}")
        assert page.status_code == 404

"""My payslips in the portal and the API: own payslips of approved runs only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from backoffice.payroll.tests.h3_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(company_a, company_b, make_user):
    return build(company_a, company_b, make_user)


def test_list_shows_own_approved_payslips_only(world, portal):
    client = portal(world.users["staff"], world.a)
    page = client.get(reverse("portal:payslips"))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("portal:payslip_detail", args=[world.slips["staff"].public_id]) in body
    assert str(world.slips["staff_april"].public_id) not in body  # computed, not approved
    for key in ("other", "manager", "bravo"):
        assert str(world.slips[key].public_id) not in body
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:payslips") in home  # in the navigation


def test_detail_and_pdf_of_own_payslip(world, portal):
    client = portal(world.users["staff"], world.a)
    slip = world.slips["staff"]
    page = client.get(reverse("portal:payslip_detail", args=[slip.public_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "25.215.000 ₫" in body
    assert "30.000.000 ₫" in body
    assert "Tạm ứng" in body
    assert "635.000 ₫" in body  # PIT
    pdf = client.get(reverse("portal:payslip_pdf", args=[slip.public_id]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "no-store"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("key", ["other", "manager", "staff_april", "bravo"])
def test_someone_elses_or_unapproved_payslip_is_404(world, key, portal):
    client = portal(world.users["staff"], world.a)
    public_id = world.slips[key].public_id
    for name in ("portal:payslip_detail", "portal:payslip_pdf"):
        response = client.get(reverse(name, args=[public_id]))
        assert response.status_code == 404, (name, key)
        assert b"99.999.000" not in response.content
        assert b"39.537.500" not in response.content


def test_the_manager_does_not_see_the_team_payslips(world, portal):
    client = portal(world.users["manager"], world.a)
    body = client.get(reverse("portal:payslips")).content.decode()
    assert str(world.slips["manager"].public_id) in body
    assert str(world.slips["staff"].public_id) not in body
    response = client.get(reverse("portal:payslip_detail", args=[world.slips["staff"].public_id]))
    assert response.status_code == 404


def test_api_my_payslips(world, api_token):
    token = api_token(world.users["staff"], world.a)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    listed = client.get("/api/v1/payroll/my-payslips").json()
    assert [p["id"] for p in listed] == [str(world.slips["staff"].public_id)]
    assert listed[0]["period"] == "03/2026"
    detail = client.get(f"/api/v1/payroll/my-payslips/{world.slips['staff'].public_id}").json()
    assert detail["net"] == "25215000"
    assert detail["gross"] == "30000000"
    assert {"label": "Tạm ứng", "amount": "1000000", "note": "", "total": False} in (
        detail["deductions"]
    )
    for key in ("other", "staff_april", "bravo"):
        response = client.get(f"/api/v1/payroll/my-payslips/{world.slips[key].public_id}")
        assert response.status_code == 404
        response = client.get(f"/api/v1/payroll/my-payslips/{world.slips[key].public_id}/pdf")
        assert response.status_code == 404
    pdf = client.get(f"/api/v1/payroll/my-payslips/{world.slips['staff'].public_id}/pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")

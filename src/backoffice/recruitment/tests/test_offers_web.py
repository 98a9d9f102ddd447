"""Offers from the desk and the API: HR drafts from an application, approves,
sends, records the acceptance and hires; the letter downloads; roles without
``recruitment.view_offer`` and another company see no offer nor salary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from backoffice.hr.models import Employee
from backoffice.recruitment.models import Offer
from backoffice.recruitment.tests.test_offers import START, make_application, pdf_text

pytestmark = pytest.mark.django_db


def test_desk_offer_from_draft_to_hire(rec, desk_login):
    org = rec.org
    app = make_application(rec)
    hr = desk_login(Client(), org.hr_officer, rec.company)
    page = hr.get(f"/desk/recruitment/offers/new/{app.public_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Trần Thị Hoa" in page.content.decode()
    res = hr.post(f"/desk/recruitment/offers/new/{app.public_id}/", {
        "job_title": "Lập trình viên Python", "department": str(org.sales.public_id),
        "position": str(org.dev.public_id), "employment_type": "full_time",
        "salary": "15.500.000", "start_date": START.isoformat(), "probation_days": "60",
        "benefits": "Laptop", "expires_on": (START - dt.timedelta(days=7)).isoformat(),
    })  # fmt: skip
    assert res.status_code == 302
    offer = Offer.objects.get(application=app)
    assert offer.salary == 15_500_000
    url = f"/desk/recruitment/offers/{offer.public_id}/"
    for op in ("submit", "send", "accept"):
        assert hr.post(url, {"op": op}).status_code == 302
    offer.refresh_from_db()
    assert offer.state == "accepted"
    letter = hr.get(f"{url}letter.pdf")
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert "15.500.000" in pdf_text(b"".join(letter) if letter.streaming else letter.content)
    detail = hr.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "15.500.000" in detail
    assert "Hire and start onboarding" in detail
    hr.post(url, {"op": "hire", "start_date": START.isoformat(), "portal_account": "on"})
    app.refresh_from_db()
    assert app.state == "hired"
    assert Employee.objects.filter(pk=app.employee_id).exists()
    listing = hr.get("/desk/recruitment/offers/").content.decode()
    assert offer.number in listing


def test_desk_offers_hidden_from_others(rec, desk_login):
    from backoffice.recruitment.services import offers as svc

    org = rec.org
    app = make_application(rec)
    offer = svc.offer_create(actor=org.hr_officer, application=app, salary=15_000_000,
                             start_date=START)  # fmt: skip
    url = f"/desk/recruitment/offers/{offer.public_id}/"
    for user in (org.manager, org.analyst, org.director, org.staff):
        c = desk_login(Client(), user, rec.company)
        for path in ("/desk/recruitment/offers/", url, f"{url}letter.pdf",
                     f"/desk/recruitment/offers/new/{app.public_id}/"):  # fmt: skip
            res = c.get(path)
            assert res.status_code in (403, 404), (user, path)
            assert "15.000.000" not in res.content.decode()
        assert c.post(url, {"op": "withdraw"}).status_code in (403, 404)
    outsider = desk_login(Client(), org.outsider_hr, org.other_company)
    assert outsider.get(url).status_code == 404
    assert outsider.get("/desk/recruitment/offers/").content.decode().count(offer.number) == 0
    assert outsider.post(url, {"op": "withdraw"}).status_code == 404
    offer.refresh_from_db()
    assert offer.state == "draft"


def test_api_offer_flow_and_scoping(rec, api_token):
    org = rec.org
    app = make_application(rec)
    h = {"HTTP_AUTHORIZATION": f"Bearer {api_token(org.hr_officer, rec.company)}"}
    c = Client()
    res = c.post(f"/api/v1/recruitment/applications/{app.public_id}/offers",
                 {"salary": 19_000_000, "start_date": START.isoformat()},
                 content_type="application/json", **h)  # fmt: skip
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["salary"] == "19000000"
    assert body["above_range"] is True
    oid = body["id"]
    res = c.post(f"/api/v1/recruitment/offers/{oid}/submit", **h)
    assert res.json()["state"] == "pending"
    res = c.post(f"/api/v1/recruitment/offers/{oid}/withdraw", {"reason": "Sai lương"},
                 content_type="application/json", **h)  # fmt: skip
    assert res.json()["state"] == "withdrawn"
    assert c.post(f"/api/v1/recruitment/applications/{app.public_id}/hire", {},
                  content_type="application/json", **h).status_code == 409  # fmt: skip
    # the analyst and another company see nothing
    ha = {"HTTP_AUTHORIZATION": f"Bearer {api_token(org.analyst, rec.company)}"}
    assert c.get("/api/v1/recruitment/offers", **ha).json()["items"] == []
    assert c.get(f"/api/v1/recruitment/offers/{oid}", **ha).status_code == 404
    hb = {"HTTP_AUTHORIZATION": f"Bearer {api_token(org.outsider_hr, org.other_company)}"}
    assert c.get(f"/api/v1/recruitment/offers/{oid}", **hb).status_code == 404
    assert c.post(f"/api/v1/recruitment/offers/{oid}/accept", **hb).status_code == 404
    assert "19000000" not in c.get("/api/v1/recruitment/offers", **hb).content.decode()


def test_application_page_panel_hides_the_salary_from_the_hiring_manager(rec, desk_login):
    from backoffice.recruitment.services import offers as svc

    org = rec.org
    app = make_application(rec)
    svc.offer_create(actor=org.hr_officer, application=app, salary=15_000_000, start_date=START)
    url = f"/desk/recruitment/applications/{app.public_id}/"
    hr = desk_login(Client(), org.hr_officer, rec.company).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert hr.status_code == 200
    body = hr.content.decode()
    assert 'id="application-offers"' in body
    assert "15.000.000" in body
    manager = desk_login(Client(), org.manager, rec.company).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert manager.status_code == 200
    body = manager.content.decode()
    assert 'id="application-offers"' in body
    assert "15.000.000" not in body
    assert "application-offer-new" not in body

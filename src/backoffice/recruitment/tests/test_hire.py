"""Hire: only with an accepted offer; creates the employee (candidate's data,
offer's terms) with a portal account and the onboarding checklist, counts the
hire on the requisition (filled at headcount, postings closed), enters the
hired stage; refused without an accepted offer, and then nothing changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.core.exceptions import Conflict, PermissionDenied
from backoffice.hr.models import Employee, OnboardingCase
from backoffice.recruitment.models import JobRequisition, StageChange
from backoffice.recruitment.services import hire, offers
from backoffice.recruitment.tests.test_offers import START, make_application

pytestmark = pytest.mark.django_db


def accepted(rec, **kw):
    org = rec.org
    app = make_application(rec, **kw)
    offer = offers.offer_create(actor=org.hr_officer, application=app,
                                salary=Decimal("16000000"), start_date=START)  # fmt: skip
    offers.offer_submit(actor=org.hr_officer, offer=offer)
    offers.offer_send(actor=org.hr_officer, offer=offer)
    offers.offer_accept(actor=org.hr_officer, offer=offer)
    return app


def test_hire_creates_the_employee_and_onboarding_and_fills_the_requisition(rec):
    org = rec.org
    app = accepted(rec)
    emp = hire.application_hire(actor=org.hr_officer, application=app)
    assert isinstance(emp, Employee)
    assert emp.full_name == "Trần Thị Hoa"
    assert emp.email == "hoa.tran@example.vn"
    assert emp.department == org.sales
    assert emp.position == org.dev
    assert emp.hire_date == START
    assert emp.user is not None  # portal account
    case = OnboardingCase.objects.get(employee=emp)
    assert case.case_tasks.exists()
    app.refresh_from_db()
    assert app.state == "hired"
    assert app.employee == emp
    assert app.stage.kind == "hired"
    assert StageChange.objects.filter(application=app, to_stage__kind="hired").exists()
    req = JobRequisition.objects.get(pk=rec.requisition.pk)
    assert req.hired_count == 1
    assert req.state == "approved"
    from backoffice.hr.models import JobChange

    assert JobChange.objects.get(employee=emp).salary == Decimal("16000000")
    # the second hire reaches the headcount (2): filled, postings closed
    app2 = accepted(rec, name="Lê Văn Bình", email="binh@example.vn")
    hire.application_hire(actor=org.hr_officer, application=app2)
    req.refresh_from_db()
    rec.posting.refresh_from_db()
    assert req.hired_count == 2
    assert req.state == "filled"
    assert rec.posting.state == "closed"


def test_hire_refused_without_an_accepted_offer_changes_nothing(rec):
    org = rec.org
    app = make_application(rec)
    before = (Employee.objects.count(), StageChange.objects.count())
    with pytest.raises(Conflict):
        hire.application_hire(actor=org.hr_officer, application=app)
    offer = offers.offer_create(actor=org.hr_officer, application=app,
                                salary=Decimal("16000000"), start_date=START)  # fmt: skip
    offers.offer_submit(actor=org.hr_officer, offer=offer)
    offers.offer_send(actor=org.hr_officer, offer=offer)  # sent, not accepted
    before = (Employee.objects.count(), StageChange.objects.count())
    with pytest.raises(Conflict):
        hire.application_hire(actor=org.hr_officer, application=app)
    assert (Employee.objects.count(), StageChange.objects.count()) == before
    app.refresh_from_db()
    assert app.state == "active"
    assert app.employee is None
    assert JobRequisition.objects.get(pk=rec.requisition.pk).hired_count == 0


def test_hire_needs_permission_and_is_not_repeated(rec):
    org = rec.org
    app = accepted(rec)
    for user in (org.manager, org.analyst, org.outsider_hr):
        with pytest.raises(PermissionDenied):
            hire.application_hire(actor=user, application=app)
    hire.application_hire(actor=org.hr_officer, application=app)
    with pytest.raises(Conflict):
        hire.application_hire(actor=org.hr_officer, application=app)
    assert Employee.objects.filter(full_name="Trần Thị Hoa").count() == 1

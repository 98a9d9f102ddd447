"""T4 table of the HR onboarding area: checklist templates (HR view, HR officers
and managers edit), onboarding/offboarding cases (read-only on the desk; opened by
the hire wizard and the offboarding page) and collaborators' work logs
(``hr.view_worklog``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from t4_base import Row, Screen

DESK = {
    "hr.checklisttemplate": Screen(
        "hr.view_onboarding",
        "hr.manage_onboarding",
        "hr.manage_onboarding",
        "hr.manage_onboarding",
    ),
    "hr.onboardingcase": Screen("hr.view_onboarding"),
    "hr.worklog": Screen("hr.view_worklog"),
}

EXTRA_URLS: dict[str, str] = {}

# Desk pages under /desk/hr/ (namespace "hr"); hr/tests/test_onboarding_web.py proves who
# may open them (hr.manage_onboarding; the collaborators list: hr.view_employee).
APP_URLS = {
    "hr": {
        "onboarding_hire",
        "onboarding_collaborators",
        "onboarding_collaborator_start",
        "onboarding_offboard",
        "onboarding_close",
    }
}


def build_rows(a, b, alpha, bravo):
    from backoffice.hr.models import (
        ChecklistTemplate,
        Contract,
        Employee,
        OnboardingCase,
        WorkLog,
    )

    rows: dict[str, dict[str, Row]] = {}

    def pair(label, make):
        rows[label] = {"own": make(a, "ALPHA"), "other": make(b, "BRAVO")}

    def template(company, tag):
        t = ChecklistTemplate.objects.create(company=company, name=f"{tag}-CHECKLIST",
                                             kind="onboarding")  # fmt: skip
        return Row(t, f"{tag}-CHECKLIST", str(t.public_id))

    def case(company, tag):
        e = Employee.objects.create(company=company, code=f"{tag}-OB", hire_date=date(2026, 1, 5),
                                    full_name=f"{tag}-ONBOARDING-PERSON")  # fmt: skip
        c = OnboardingCase.objects.create(company=company, employee=e, kind="onboarding",
                                          reference_date=date(2026, 1, 5))  # fmt: skip
        return Row(c, f"{tag}-ONBOARDING-PERSON", str(c.public_id))

    def worklog(company, tag):
        e = Employee.objects.create(company=company, code=f"{tag}-CTV", kind="collaborator",
                                    hire_date=date(2026, 1, 5),
                                    full_name=f"{tag}-CTV-PERSON")  # fmt: skip
        k = Contract.objects.create(company=company, employee=e, number=f"{tag}-HDDV",
                                    contract_type="service", state="active",
                                    start_date=date(2026, 1, 5), end_date=date(2026, 12, 31),
                                    rate=Decimal(100_000), rate_unit="hour")  # fmt: skip
        w = WorkLog.objects.create(company=company, employee=e, contract=k, date=date(2026, 2, 2),
                                   hours=Decimal(2), description=f"{tag}-WORKLOG",
                                   amount=Decimal(200_000))  # fmt: skip
        return Row(w, f"{tag}-WORKLOG", str(w.public_id))

    pair("hr.checklisttemplate", template)
    pair("hr.onboardingcase", case)
    pair("hr.worklog", worklog)
    return rows

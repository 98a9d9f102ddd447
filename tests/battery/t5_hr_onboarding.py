"""T5 seed of the HR onboarding area: a hired person with an open onboarding case
(case_id), an active employee to offboard (person_id) and a collaborator's draft
work log (worklog_id). The administrator is also HR manager; a second HR manager
approves (so a submitted work log has an approver)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def seed(company, admin):
    from backoffice.core.enums import Role
    from backoffice.core.models import Membership, User
    from backoffice.hr.models import Contract, Employee, WorkLog
    from backoffice.hr.services import onboarding
    from backoffice.hr.services.collaborators import worklog_policy_ensure

    Membership.objects.get_or_create(user=admin, company=company, role=Role.HR_MANAGER)
    admin.__dict__.pop("_company_perm_cache", None)
    tag = company.code.lower()
    second = User.objects.create_user(f"tpns2.{tag}@example.vn", full_name=f"TPNS {tag}")
    Membership.objects.create(user=second, company=company, role=Role.HR_MANAGER)
    onboarding.checklist_defaults_create(company=company, actor=admin)
    # The default policy a real company gets at creation: without it the workflow
    # fuzz (which runs first) may create a collaborator_work policy of its own
    # whose random steps leave nobody to approve (submit then answers 422).
    worklog_policy_ensure(company=company, actor=admin)
    hired = Employee.objects.create(company=company, code="OB-1", full_name="Người mới",
                                    hire_date=date(2026, 12, 7), status="onboarding")  # fmt: skip
    case = onboarding.onboarding_start(actor=admin, company=company, employee=hired)
    person = Employee.objects.create(company=company, code="OB-2", full_name="Người ở lại",
                                     hire_date=date(2020, 1, 6))  # fmt: skip
    ctv = Employee.objects.create(company=company, code="OB-CTV", full_name="Cộng tác",
                                  kind="collaborator", hire_date=date(2026, 1, 5))  # fmt: skip
    agreement = Contract.objects.create(
        company=company, employee=ctv, number=f"HĐDV-{tag}", contract_type="service",
        state="active", start_date=date(2026, 1, 5), end_date=date(2099, 12, 31),
        rate=Decimal(100_000), rate_unit="hour", scope="Dịch",
    )  # fmt: skip
    log = WorkLog.objects.create(company=company, employee=ctv, contract=agreement,
                                 date=date(2026, 2, 2), hours=Decimal(2), description="Dịch",
                                 amount=Decimal(200_000))  # fmt: skip
    ids = {"case_id": case.public_id, "person_id": person.public_id, "worklog_id": log.public_id}
    secrets = {hired.public_id, ctv.public_id, agreement.public_id, second.public_id}
    return ids, secrets


# Operations random data cannot make succeed; hr/tests/test_onboarding_web.py and
# test_collaborators.py cover their success paths.
NO_2XX_EXPECTED = {
    "POST /api/v1/hr/onboarding/hire": "needs a valid person (e-mail for the account ...)",
    "POST /api/v1/hr/collaborators": "needs a complete, dated agreement and a valid person",
    "POST /api/v1/hr/onboarding/people/{person_id}/close": "needs offboarding with the revoke "
    "tasks done (409 revoke_tasks_open)",
    "POST /api/v1/hr/onboarding/people/{person_id}/offboarding": "the last day must fall "
    "between the start date and 2099 (random dates rarely do)",
    "POST /api/v1/hr/worklogs": "the administrator has no collaborator record of their own",
    "POST /api/v1/hr/worklogs/{worklog_id}/withdraw": "only a submitted work log",
    "DELETE /api/v1/hr/worklogs/{worklog_id}": "only a draft (the fuzz may submit it first)",
}

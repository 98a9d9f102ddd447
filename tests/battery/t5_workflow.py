"""T5 seed of the workflow app: one row of each kind in the company, so every
operation with a path id is fuzzed with a real id of the user's own company
(and with the other company's, which must answer 404).

The administrator is the manager of a department whose employee has a purchase
request waiting (so ``decide`` can succeed once), owns a draft expense claim
(submit, withdraw, receipts) and a task with a checklist item."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def seed(company, admin):
    from backoffice.core.enums import Role
    from backoffice.core.models import Department, Membership, User
    from backoffice.workflow import services

    services.default_policies_create(company=company)
    tag = company.code.lower()

    def member(role, local, department=None):
        user = User.objects.create_user(f"{local}.{tag}@example.vn", full_name=f"{local} {tag}")
        Membership.objects.create(user=user, company=company, role=role, department=department)
        return user

    team = Department.objects.create(company=company, code="WF", name="Nhóm", manager=admin)
    chief = member(Role.CHIEF_ACCOUNTANT, "chief")
    deputy = member(Role.EMPLOYEE, "deputy")
    staff = member(Role.EMPLOYEE, "staff", team)
    staff.active_company = company
    policy = company.approvalpolicy_set.get(request_type="purchase")
    delegation = services.delegation_create(
        actor=admin, company=company, to_user=deputy, start_date=date(2026, 1, 1),
        end_date=date(2026, 1, 31),
    )  # fmt: skip
    task = services.task_create(actor=admin, company=company, assignee=admin, title="Việc",
                                checklist=["Một"])  # fmt: skip
    line = {"description": "Taxi", "amount": Decimal(100_000)}
    claim = services.expense_claim_create(actor=admin, company=company, title="Nháp",
                                          lines=[line])  # fmt: skip
    item = {"description": "Giấy A4", "quantity": Decimal(2), "estimated_price": Decimal(90_000)}
    waiting = services.purchase_request_create(actor=staff, company=company, title="Mua giấy",
                                               items=[item])  # fmt: skip
    services.purchase_request_submit(actor=staff, company=company, pr=waiting)
    pr = services.purchase_request_create(actor=admin, company=company, title="Mua mực",
                                          items=[item])  # fmt: skip
    ids = {
        "policy_id": policy.public_id,
        "delegation_id": delegation.public_id,
        "request_id": waiting.approval.public_id,
        "task_id": task.public_id,
        "item_id": task.checklist.first().public_id,
        "claim_id": claim.public_id,
        "pr_id": pr.public_id,
    }
    secrets = {
        chief.public_id,
        deputy.public_id,
        staff.public_id,
        waiting.public_id,
        team.public_id,
    }
    return ids, secrets


# Operations random data cannot make succeed; tests/test_api*.py in the workflow app
# covers their success paths.
NO_2XX_EXPECTED = {
    "POST /api/v1/workflow/policies": "one policy per request type: the seeded ones exist (409)",
    "PUT /api/v1/workflow/policies/{policy_id}": "steps name real members by id",
    "POST /api/v1/workflow/delegations": "the delegate must be a real member",
    "POST /api/v1/workflow/requests/{request_id}/withdraw": "only the requester may withdraw",
    "POST /api/v1/workflow/purchase-requests/{pr_id}/submit": "needs items and an approver",
    "POST /api/v1/workflow/purchase-requests/{pr_id}/withdraw": "only a submitted request",
}

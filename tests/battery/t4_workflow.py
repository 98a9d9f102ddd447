"""T4 table of the workflow app: company-wide screens need a permission; the
"my ..." screens (and delegations) show only one's own rows to any member."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from t4_base import ANY, Row, Screen

DESK = {
    "workflow.approvalpolicy": Screen(
        "workflow.view_approvalpolicy",
        "workflow.add_approvalpolicy",
        "workflow.change_approvalpolicy",
        "workflow.delete_approvalpolicy",
    ),
    "workflow.delegation": Screen(ANY, ANY, ANY, ANY, rows="mine"),
    "workflow.approvalrequest": Screen("workflow.view_approvalrequest"),
    "workflow.myapprovalrequest": Screen(ANY, rows="mine"),
    "workflow.task": Screen("workflow.view_task", "workflow.view_task", "workflow.view_task"),
    "workflow.mytask": Screen(ANY, ANY, ANY, rows="mine"),
    "workflow.expenseclaim": Screen("workflow.view_expenseclaim"),
    "workflow.myexpenseclaim": Screen(ANY, ANY, ANY, ANY, rows="mine"),
    "workflow.purchaserequest": Screen("workflow.view_purchaserequest"),
    "workflow.mypurchaserequest": Screen(ANY, ANY, ANY, ANY, rows="mine"),
}

# "My work" and the workload page: any member (the workload shows one's own row, one's
# teams' with a managed department, everyone's with workflow.view_workload).
EXTRA_URLS = {"workflow_my_work": ANY, "workflow_workload": ANY}


def build_rows(a, b, alpha, bravo):
    """One row per screen in each company. Personal rows belong to ALPHA-PERSON
    (so no role user of company A sees them on a "my" screen)."""
    from django.contrib.contenttypes.models import ContentType

    from backoffice.workflow.models import (
        ApprovalPolicy,
        ApprovalRequest,
        Delegation,
        ExpenseClaim,
        PurchaseRequest,
        Task,
    )

    rows: dict[str, dict[str, Row]] = {}

    def pair(label, make, mine=False):
        own, other = make(a, alpha, "ALPHA"), make(b, bravo, "BRAVO")
        rows[label] = {"peer" if mine else "own": own, "other": other}

    def policy(company, user, tag):
        p = ApprovalPolicy.objects.create(company=company, request_type=f"t4-{tag.lower()}",
                                          name=f"{tag}-POLICY")  # fmt: skip
        return Row(p, f"{tag}-POLICY", str(p.public_id))

    def delegation(company, user, tag):
        from backoffice.core.models import Membership, User

        to = User.objects.create_user(f"{tag.lower()}-deputy@example.vn", full_name=f"{tag}-DEP")
        Membership.objects.create(user=to, company=company, role="employee")
        d = Delegation.objects.create(company=company, from_user=user, to_user=to,
                                      start_date=date(2026, 1, 1), end_date=date(2026, 1, 2),
                                      note=f"{tag}-DELEGATION")  # fmt: skip
        return Row(d, f"{tag}-DELEGATION", str(d.public_id))

    def claim(company, user, tag, model=ExpenseClaim, what="CLAIM"):
        c = model.objects.create(company=company, requester=user, title=f"{tag}-{what}",
                                 total=Decimal(1000))  # fmt: skip
        return Row(c, f"{tag}-{what}", str(c.public_id))

    def purchase(company, user, tag):
        return claim(company, user, tag, PurchaseRequest, "PURCHASE")

    def request(company, user, tag):
        subject = ExpenseClaim.objects.create(company=company, requester=user,
                                              title=f"{tag}-REQSUBJECT")  # fmt: skip
        r = ApprovalRequest.objects.create(
            company=company, request_type="expense", title=f"{tag}-APPROVAL",
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
            requester=user,
        )  # fmt: skip
        return Row(r, f"{tag}-APPROVAL", str(r.public_id))

    def task(company, user, tag):
        t = Task.objects.create(company=company, title=f"{tag}-TASK", assignee=user,
                                created_by=user)  # fmt: skip
        return Row(t, f"{tag}-TASK", str(t.public_id))

    pair("workflow.approvalpolicy", policy)
    pair("workflow.delegation", delegation, mine=True)
    pair("workflow.approvalrequest", request)
    pair("workflow.expenseclaim", claim)
    pair("workflow.purchaserequest", purchase)
    pair("workflow.task", task)
    # The personal screens list the same kinds of rows. A company-A row cannot serve as a
    # "peer" here (the company-wide screens show it to their roles, and a peer marker must
    # stay hidden everywhere): the workflow tests prove a colleague's rows stay hidden.
    for mine, label in (
        ("workflow.myapprovalrequest", "workflow.approvalrequest"),
        ("workflow.myexpenseclaim", "workflow.expenseclaim"),
        ("workflow.mypurchaserequest", "workflow.purchaserequest"),
        ("workflow.mytask", "workflow.task"),
    ):
        rows[mine] = {"other": rows[label]["other"]}
    return rows

"""Demo data of the workflow app: tasks, an expense claim, a purchase request."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from backoffice.core.demo import DEMO_DOMAIN
from backoffice.core.models import Company, Department, User


def demo_step(*, company: Company, rng: Any, **context: Any) -> None:
    from backoffice.workflow import services
    from backoffice.workflow.models import Recurrence

    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=DEMO_DOMAIN,
                                                                 is_staff=True)}  # fmt: skip
    director, chief, accountant = (
        users.get("dieuhanh"),
        users.get("ketoantruong"),
        users.get("ketoan"),
    )
    if not (director and chief and accountant):
        return
    depts = {d.code: d for d in Department.objects.filter(company=company)}
    # The director runs the board; the chief accountant heads accounting.
    if "BGD" in depts:
        Department.objects.filter(pk=depts["BGD"].pk).update(manager=director)
    if "KT" in depts:
        Department.objects.filter(pk=depts["KT"].pk).update(manager=chief)
        from backoffice.core.models import Membership

        Membership.objects.filter(company=company, user__in=[accountant, chief]).update(
            department=depts["KT"]
        )
        Membership.objects.filter(company=company, user=director).update(department=depts["BGD"])
    on = services.today()
    services.task_create(
        actor=chief, company=company, assignee=accountant, title="Nộp tờ khai thuế GTGT",
        description="Tờ khai 01/GTGT và bảng kê, nộp qua thuế điện tử.",
        due_date=on.replace(day=20) if on.day <= 20 else (on + timedelta(days=31)).replace(day=20),
        priority="high", estimated_hours=Decimal(4), recurrence=Recurrence.MONTHLY,
        checklist=["Đối chiếu hóa đơn đầu vào", "Đối chiếu hóa đơn đầu ra", "Ký số và nộp"],
    )  # fmt: skip
    services.task_create(
        actor=chief, company=company, assignee=accountant, title="Đối chiếu số dư ngân hàng",
        due_date=on - timedelta(days=2), priority="normal", estimated_hours=Decimal(3),
    )  # fmt: skip
    services.task_create(
        actor=director, company=company, assignee=chief, title="Báo cáo quản trị tháng",
        due_date=on + timedelta(days=3), priority="high", estimated_hours=Decimal(6),
    )  # fmt: skip
    claim = services.expense_claim_create(
        actor=accountant, company=company, title="Công tác Hà Nội",
        lines=[
            {"date": on - timedelta(days=5), "description": "Vé máy bay SGN-HAN",
             "category": "travel", "amount": Decimal(2_450_000), "vat_rate": 8},
            {"date": on - timedelta(days=4), "description": "Khách sạn 2 đêm",
             "category": "travel", "amount": Decimal(1_800_000), "vat_rate": 8},
        ],
    )  # fmt: skip
    services.expense_claim_submit(actor=accountant, company=company, claim=claim)
    pr = services.purchase_request_create(
        actor=accountant, company=company, title="Máy tính xách tay cho kế toán",
        supplier="Công ty TNHH Tin học Phong Vũ", reason="Thay máy cũ hỏng",
        items=[{"description": "Laptop 14 inch", "quantity": Decimal(2), "unit": "cái",
                "estimated_price": Decimal(18_500_000)}],
    )  # fmt: skip
    services.purchase_request_submit(actor=accountant, company=company, pr=pr)

"""Default expense and purchase approval policies for companies that exist
already (new companies get them from the on_company_created hook)."""

from decimal import Decimal

from django.db import migrations

STEPS = [
    (1, "Quản lý trực tiếp", "manager", "", None),
    (2, "Kế toán trưởng", "role", "chief_accountant", None),
    (3, "Giám đốc (trên 20.000.000 ₫)", "role", "operations_manager", Decimal(20_000_000)),
]
POLICIES = {"expense": "Đề nghị thanh toán chi phí", "purchase": "Đề nghị mua hàng"}


def forwards(apps, schema_editor):
    Company = apps.get_model("core", "Company")
    Policy = apps.get_model("workflow", "ApprovalPolicy")
    Step = apps.get_model("workflow", "ApprovalStep")
    for company in Company.objects.all():
        for code, name in POLICIES.items():
            if Policy.objects.filter(company=company, request_type=code).exists():
                continue
            policy = Policy.objects.create(company=company, request_type=code, name=name)
            for order, step_name, kind, role, minimum in STEPS:
                Step.objects.create(
                    policy=policy, order=order, name=step_name, approver_kind=kind, role=role,
                    min_amount=minimum,
                )


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

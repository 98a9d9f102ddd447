"""The demo company: deterministic for a seed, Vietnamese names and tax codes.

Demo data is separate from seed data (ARCHITECTURE convention 15). Later apps
extend it through :func:`register_demo_step` (ledger, payroll, candidates …).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from backoffice.core import services
from backoffice.core.audit import audit_record
from backoffice.core.enums import Role
from backoffice.core.models import Company, Department, Membership, Position, User

if TYPE_CHECKING:
    from faker import Faker

DEMO_CODE = "DEMO"
DEMO_PASSWORD = "Xin-chao-2026!"  # noqa: S105 - a published demo credential
DEMO_DOMAIN = "demo.backoffice.vn"

_DEMO_STEPS: list[Callable[..., Any]] = []


def register_demo_step(func: Callable[..., Any]) -> Callable[..., Any]:
    _DEMO_STEPS.append(func)
    return func


DEPARTMENTS = [
    ("BGD", "Ban Giám đốc", None),
    ("KT", "Phòng Kế toán", "BGD"),
    ("NS", "Phòng Hành chính - Nhân sự", "BGD"),
    ("CNTT", "Phòng Công nghệ thông tin", "BGD"),
    ("KD", "Phòng Kinh doanh", "BGD"),
    ("KD-HN", "Chi nhánh Hà Nội", "KD"),
    ("KD-HCM", "Chi nhánh TP. Hồ Chí Minh", "KD"),
    ("PC", "Phòng Pháp chế - Tuân thủ", "BGD"),
]
POSITIONS = [
    ("GD", "Giám đốc", "BGD", "manager"), ("KTT", "Kế toán trưởng", "KT", "manager"),
    ("KTV", "Kế toán viên", "KT", "staff"), ("TPNS", "Trưởng phòng nhân sự", "NS", "manager"),
    ("CVNS", "Chuyên viên nhân sự", "NS", "staff"), ("CVTL", "Chuyên viên tiền lương", "NS", "staff"),
    ("KSCNTT", "Kỹ sư CNTT", "CNTT", "staff"), ("NVKD", "Nhân viên kinh doanh", "KD", "staff"),
    ("CVPC", "Chuyên viên pháp chế", "PC", "staff"),
]  # fmt: skip
# One account per default role: (e-mail local part, full name, roles)
ACCOUNTS = [
    ("admin", "Nguyễn Văn Quản", [Role.ADMIN]),
    ("ketoan", "Trần Thị Thu", [Role.ACCOUNTANT]),
    ("ketoantruong", "Lê Minh Châu", [Role.CHIEF_ACCOUNTANT]),
    ("nhansu", "Phạm Thị Hoa", [Role.HR_OFFICER]),
    ("truongphongns", "Hoàng Văn Nam", [Role.HR_MANAGER]),
    ("tienluong", "Vũ Thị Lan", [Role.PAYROLL_OFFICER]),
    ("cntt", "Đặng Quốc Bảo", [Role.IT_OFFICER]),
    ("phantich", "Bùi Thị Mai", [Role.DATA_ANALYST]),
    ("tuanthu", "Đỗ Văn Hùng", [Role.COMPLIANCE_OFFICER]),
    ("ruiro", "Ngô Thị Hạnh", [Role.RISK_ANALYST]),
    ("dieuhanh", "Dương Văn Long", [Role.OPERATIONS_MANAGER]),
]


def demo_exists() -> bool:
    return Company.objects.filter(code=DEMO_CODE).exists()


def _tax_code(rng: random.Random) -> str:
    """A valid 10-digit Vietnamese enterprise tax code (MST), check digit included."""
    from stdnum.vn import mst

    while True:
        body = f"0{rng.randrange(10**7, 10**8)}"
        weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
        check = (10 - sum(w * int(d) for w, d in zip(weights, body, strict=True)) % 11) % 10
        candidate = f"{body}{check}"
        if mst.is_valid(candidate):
            return candidate


@transaction.atomic
def demo_create(*, employees: int = 30, years: int = 1, seed: int = 1) -> str:
    if demo_exists():
        raise ValueError(f"the demo company {DEMO_CODE} already exists")
    from faker import Faker

    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not security
    fake = Faker("vi_VN")
    fake.seed_instance(seed)
    company = services.company_create(
        actor="demo",
        code=DEMO_CODE,
        name="Công ty Cổ phần Back Office Demo",
        tax_code=_tax_code(rng),
        address="12 Nguyễn Huệ, Phường Sài Gòn, TP. Hồ Chí Minh",
    )
    branch = services.company_create(
        actor="demo",
        code="DEMO-HN",
        name="Công ty TNHH Back Office Demo Hà Nội",
        tax_code=_tax_code(rng),
        address="25 Tràng Tiền, Phường Hoàn Kiếm, Hà Nội",
    )
    depts: dict[str, Department] = {}
    for code, name, parent in DEPARTMENTS:
        depts[code] = Department.objects.create(
            company=company, code=code, name=name, parent=depts.get(parent) if parent else None
        )
    for code, name, dept, level in POSITIONS:
        Position.objects.create(
            company=company, code=code, name=name, department=depts[dept], level=level
        )
    Department.objects.create(company=branch, code="BGD", name="Ban Giám đốc")
    for local, name, roles in ACCOUNTS:
        user = services.user_create(
            actor=None,
            company=company,
            email=f"{local}@{DEMO_DOMAIN}",
            full_name=name,
            password=DEMO_PASSWORD,
            roles=roles,
        )
        # Every desk account also works in the Hà Nội company, to show switching.
        services.membership_grant(actor=None, company=branch, user=user, role=roles[0])
    _bulk_employees(company, depts, fake, employees)
    context = {
        "company": company,
        "rng": rng,
        "fake": fake,
        "years": years,
        "employees": employees,
        "seed": seed,
    }
    for step in _DEMO_STEPS:
        step(**context)
    audit_record(
        event_type="DEMO_CREATED",
        actor="demo",
        company=company,
        target=company,
        after={"employees": employees, "years": years, "seed": seed},
    )
    created = f"Demo company {company.code} created ({company.name}); second company {branch.code}."
    return created + "\n" + demo_login_help()


def demo_login_help() -> str:
    """Where to log in and with which accounts (printed on every `make run`)."""
    lines = [
        f"  {local + '@' + DEMO_DOMAIN:<40} {', '.join(str(Role(r).label) for r in roles)}"
        for local, _name, roles in ACCOUNTS
    ]
    return "\n".join(
        [
            f"Log in at http://127.0.0.1:8000/desk/ with password {DEMO_PASSWORD}:",
            *lines,
            "Roles that see salaries or post to the ledger enrol two-factor at first login.",
            f"Self-service portal: http://127.0.0.1:8000/portal/ as nv00001@{DEMO_DOMAIN} "
            f"(employee) or ctv1@{DEMO_DOMAIN} (collaborator), same password.",
        ]
    )


def _bulk_employees(
    company: Company, depts: dict[str, Department], fake: Faker, count: int
) -> None:
    """Portal users (role employee) in bulk: no password until they are invited."""
    from django.contrib.auth.hashers import make_password

    unusable = make_password(None)
    users = [
        User(
            email=f"nv{i:05d}@{DEMO_DOMAIN}",
            full_name=fake.name(),
            password=unusable,
            is_staff=False,
        )
        for i in range(1, count + 1)
    ]
    if users:  # one employee can try the self-service portal with the demo password
        users[0].password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(users, batch_size=2000)
    created = User.objects.filter(email__startswith="nv", email__endswith=DEMO_DOMAIN)
    dept_list = [d for code, d in depts.items() if code != "BGD"]
    Membership.objects.bulk_create(
        [
            Membership(
                user=u,
                company=company,
                role=Role.EMPLOYEE,
                department=dept_list[i % len(dept_list)],
            )
            for i, u in enumerate(created.order_by("email"))
        ],
        batch_size=2000,
    )

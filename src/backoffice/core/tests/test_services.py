import pytest

from backoffice.core import services
from backoffice.core.enums import Role
from backoffice.core.exceptions import ApplicationError, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent, Department, Membership


@pytest.fixture
def admin_a(company_a, make_user):
    user = make_user(company_a, roles=[Role.ADMIN])
    user.active_company = company_a
    return user


def test_department_tree_is_created_and_audited(company_a, admin_a):
    root = services.department_create(
        actor=admin_a, company=company_a, code="BGD", name="Ban Giám đốc"
    )
    child = services.department_create(
        actor=admin_a, company=company_a, code="KT", name="Phòng Kế toán", parent=root
    )
    assert list(root.children.all()) == [child]
    events = list(
        AuditEvent.objects.filter(event_type="DEPARTMENT_CREATED")
        .values_list("object_repr", flat=True)
        .order_by("seq")
    )
    assert events == ["BGD — Ban Giám đốc", "KT — Phòng Kế toán"]


def test_department_cannot_be_moved_under_its_own_child(company_a, admin_a):
    root = services.department_create(actor=admin_a, company=company_a, code="A", name="A")
    child = services.department_create(
        actor=admin_a, company=company_a, code="B", name="B", parent=root
    )
    with pytest.raises(ValidationFailed) as exc:
        services.department_update(actor=admin_a, department=root, parent=child)
    assert exc.value.code == "department_cycle"
    root.refresh_from_db()
    assert root.parent is None


def test_parent_from_another_company_is_refused(company_a, company_b, admin_a):
    foreign = Department.objects.create(company=company_b, code="X", name="X")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.department_create(
            actor=admin_a, company=company_a, code="KT", name="KT", parent=foreign
        )
    assert exc.value.code == "cross_company_reference"
    assert not Department.objects.filter(company=company_a).exists()
    assert AuditEvent.objects.count() == before


def test_duplicate_department_code_is_a_validation_error(company_a, admin_a):
    services.department_create(actor=admin_a, company=company_a, code="KT", name="KT")
    with pytest.raises(ApplicationError) as exc:
        services.department_create(actor=admin_a, company=company_a, code="KT", name="KT 2")
    assert exc.value.status in (409, 422)
    assert Department.objects.filter(company=company_a).count() == 1


def test_role_without_grant_cannot_create_department(company_a, make_user):
    analyst = make_user(company_a, roles=[Role.DATA_ANALYST])
    analyst.active_company = company_a
    with pytest.raises(PermissionDenied):
        services.department_create(actor=analyst, company=company_a, code="KT", name="KT")
    assert not Department.objects.exists()


def test_grant_and_revoke_role(company_a, admin_a, make_user):
    user = make_user()
    membership = services.membership_grant(
        actor=admin_a, company=company_a, user=user, role=Role.ACCOUNTANT
    )
    assert Membership.objects.filter(user=user, company=company_a).count() == 1
    services.membership_revoke(actor=admin_a, membership=membership)
    assert not Membership.objects.filter(user=user).exists()
    types = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"ROLE_GRANTED", "ROLE_REVOKED"} <= types


def test_unknown_role_is_refused(company_a, admin_a, make_user):
    with pytest.raises(ValidationFailed) as exc:
        services.membership_grant(actor=admin_a, company=company_a, user=make_user(), role="king")
    assert exc.value.code == "unknown_role"


def test_company_create_validates_tax_code_and_fiscal_year(db):
    with pytest.raises(ValidationFailed) as exc:
        services.company_create(actor="cli", code="X", name="X", tax_code="0100109107")
    assert exc.value.code == "invalid_tax_code"
    with pytest.raises(ValidationFailed) as exc:
        services.company_create(actor="cli", code="X", name="X", fiscal_year_start="13-01")
    assert exc.value.code == "invalid_fiscal_year_start"
    company = services.company_create(actor="cli", code="X", name="X", tax_code="0100109106")
    assert company.tax_code == "0100109106"


def test_weak_password_is_refused(company_a, admin_a):
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(
            actor=admin_a, company=company_a, email="a@b.vn", full_name="A", password="123"
        )
    assert exc.value.code == "weak_password"


def test_desk_change_records_the_client_ip(client, company_a, make_user, desk_login):
    admin = make_user(company_a, roles=[Role.ADMIN])
    desk_login(client, admin, company_a)
    response = client.post(
        "/desk/core/department/add/", {"code": "KT", "name": "Kế toán"}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(event_type="DEPARTMENT_CREATED")
    assert (event.ip_address, event.actor_id) == ("10.1.2.3", admin.pk)


def test_department_in_use_cannot_be_deleted(company_a, admin_a):
    from backoffice.core.exceptions import Conflict

    dept = services.department_create(actor=admin_a, company=company_a, code="KT", name="KT")
    services.position_create(
        actor=admin_a, company=company_a, code="KTV", name="KTV", department=dept
    )
    with pytest.raises(Conflict) as exc:
        services.department_delete(actor=admin_a, department=dept)
    assert exc.value.code == "department_in_use"
    assert Department.objects.filter(pk=dept.pk).exists()
    assert not AuditEvent.objects.filter(event_type="DEPARTMENT_DELETED").exists()

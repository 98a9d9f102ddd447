from backoffice.core.enums import Role
from backoffice.core.permissions import CORE_PERMISSIONS, ROLE_GRANTS


def test_every_default_role_has_a_row_in_the_grant_table():
    assert set(ROLE_GRANTS) == set(Role.values)


def test_core_grants_use_only_catalogued_permissions():
    for role, perms in ROLE_GRANTS.items():
        core = {p for p in perms if p.startswith("core.")}
        assert core <= set(CORE_PERMISSIONS), role


def test_permissions_follow_the_active_company(company_a, company_b, make_user):
    user = make_user(company_a, roles=[Role.ADMIN])
    user.active_company = company_a
    assert user.has_perm("core.add_department")
    other = type(user).objects.get(pk=user.pk)
    other.active_company = company_b
    assert not other.has_perm("core.add_department")
    nobody = type(user).objects.get(pk=user.pk)
    assert not nobody.has_perm("core.view_department")  # no active company: deny


def test_salary_and_ledger_markers_only_for_the_roles_of_spec():
    sees_salary = {r for r, p in ROLE_GRANTS.items() if "core.view_salary" in p}
    assert sees_salary == {Role.HR_MANAGER, Role.PAYROLL_OFFICER}
    posts = {r for r, p in ROLE_GRANTS.items() if "core.post_ledger" in p}
    assert posts == {Role.ACCOUNTANT, Role.CHIEF_ACCOUNTANT}

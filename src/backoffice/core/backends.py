"""Authentication backend: login by e-mail, permissions from company roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from backoffice.core.permissions import permissions_for_roles


class CompanyRoleBackend(ModelBackend):
    """Grants the permissions of the roles the user holds in ``user.active_company``.

    The request middleware (desk) or the API authentication sets
    ``active_company`` on the user object of that request; without it, the
    user has no permission at all (deny by default). Django's per-user and
    group permission tables are not consulted.
    """

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        company = getattr(user_obj, "active_company", None)
        if company is None:
            return set()
        cache: tuple[int, set[str]] | None = getattr(user_obj, "_company_perm_cache", None)
        if cache is None or cache[0] != company.pk:
            from backoffice.core.selectors import user_roles

            perms = permissions_for_roles(user_roles(user=user_obj, company=company))
            user_obj._company_perm_cache = (company.pk, perms)
            return perms
        return cache[1]

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(p.startswith(app_label + ".") for p in self.get_all_permissions(user_obj))

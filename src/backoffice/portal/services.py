"""Self-service writes a person makes on their OWN record from the portal.

The rules live in HR's services (``hr.services.employees`` and
``hr.services.employees_family``): what a person may change themself, the
validators, the audit events (identifiers never in clear). This module only
adapts the portal's requests to them and finds one's own emergency contact.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from backoffice.core.exceptions import NotFound

# Shown on the profile page with a "show" button; revealing one is audited.
REVEALABLE = ("national_id", "tax_code", "social_insurance_no", "bank_account")
# Asked for on the edit form (hr.services.employees.SELF_EDITABLE decides).
SELF_FIELDS = ("phone", "email", "current_address", "current_province", "bank_name",
               "bank_account")  # fmt: skip


def profile_self_update(*, actor: Any, company: Any, employee: Any, **changes: Any) -> Any:
    from backoffice.hr.services.employees import employee_self_update

    return employee_self_update(actor=actor, company=company, employee=employee, **changes)


def identifier_self_reveal(*, actor: Any, company: Any, employee: Any, field: str) -> str:
    from backoffice.hr.services.employees import employee_reveal

    if field not in REVEALABLE:
        raise NotFound(_("Unknown identifier."))
    return employee_reveal(actor=actor, company=company, employee=employee, field=field)


def emergency_contact_self_add(*, actor: Any, company: Any, employee: Any, **values: Any) -> Any:
    from backoffice.hr.services.employees_family import emergency_contact_create

    return emergency_contact_create(actor=actor, company=company, employee=employee, **values)


def emergency_contact_self_delete(
    *, actor: Any, company: Any, employee: Any, contact_id: Any
) -> None:
    from backoffice.hr.models import EmergencyContact
    from backoffice.hr.services.employees_family import emergency_contact_delete

    try:
        contact = EmergencyContact.objects.select_related("employee").get(
            public_id=contact_id, employee=employee, company=company
        )
    except (EmergencyContact.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("Contact not found.")) from exc
    emergency_contact_delete(actor=actor, company=company, contact=contact)

"""Profile self-service: allowed fields only, audited, identifiers masked and
revealed (audited) only to their owner; emergency contacts scoped to oneself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backoffice.core.exceptions import PermissionDenied
from backoffice.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_profile_shows_identifiers_masked_and_own_salary(staff_client, hr_org):
    body = staff_client.get(reverse("portal:profile")).content.decode()
    assert "079203001234" not in body
    assert "•••••••••234" in body
    assert "0071000123456" not in body
    assert "15.000.000 ₫" in body  # one's own salary (hr.services.employees.salary_on)
    assert "01/06/2023" in body  # start date dd/mm/yyyy


def test_edit_allowed_fields_is_saved_and_audited(staff_client, hr_org):
    response = staff_client.post(reverse("portal:profile_edit"), {
        "phone": "0903 123 456", "email": "lan.nguyen@gmail.com",
        "current_address": "12 Lý Thường Kiệt", "current_province": "79",
        "bank_name": "Vietcombank", "bank_account": "0071000999888",
    })  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/portal/profile/"
    emp = hr_org.staff_emp
    emp.refresh_from_db()
    assert (emp.phone, emp.current_province, emp.bank_account) == (
        "0903 123 456", "79", "0071000999888")  # fmt: skip
    event = AuditEvent.objects.filter(event_type="EMPLOYEE_SELF_UPDATED").latest("seq")
    assert event.actor_id == hr_org.staff.pk
    text = str(event.after) + str(event.before)
    assert "0071000999888" not in text
    assert "0071000123456" not in text
    assert "0903 123 456" in text


def test_edit_with_empty_bank_account_keeps_it(staff_client, hr_org):
    staff_client.post(reverse("portal:profile_edit"), {"phone": "0903123456"})
    hr_org.staff_emp.refresh_from_db()
    assert hr_org.staff_emp.bank_account == "0071000123456"


def test_edit_refuses_bad_values(staff_client, hr_org):
    response = staff_client.post(reverse("portal:profile_edit"), {"current_province": "99"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    response = staff_client.post(reverse("portal:profile_edit"), {"bank_account": "12"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    hr_org.staff_emp.refresh_from_db()
    assert hr_org.staff_emp.bank_account == "0071000123456"


def test_hr_fields_cannot_be_changed_through_the_portal(staff_client, hr_org):
    staff_client.post(reverse("portal:profile_edit"),
                      {"phone": "0903123456", "full_name": "Ai Đó", "national_id": "001"})  # fmt: skip
    hr_org.staff_emp.refresh_from_db()
    assert hr_org.staff_emp.full_name == "Nguyễn Thị Lan"
    assert hr_org.staff_emp.national_id == "079203001234"
    from backoffice.portal import services

    with pytest.raises(PermissionDenied):
        services.profile_self_update(actor=hr_org.staff, company=hr_org.company,
                                     employee=hr_org.staff_emp, full_name="X")  # fmt: skip
    with pytest.raises(PermissionDenied):  # someone else's record
        services.profile_self_update(actor=hr_org.manager, company=hr_org.company,
                                     employee=hr_org.staff_emp, phone="0903000000")  # fmt: skip


def test_reveal_own_identifier_is_audited(staff_client, hr_org):
    url = reverse("portal:profile_reveal", args=["national_id"])
    assert staff_client.get(url).status_code == 405
    response = staff_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "079203001234" in response.content.decode()
    event = AuditEvent.objects.filter(event_type="EMPLOYEE_PII_REVEALED").latest("seq")
    assert event.actor_id == hr_org.staff.pk
    assert event.after["field"] == "national_id"
    assert staff_client.post(reverse("portal:profile_reveal", args=["salary"])).status_code == 404


def test_emergency_contacts_add_and_remove_own_only(client, portal_login, hr_org):
    from backoffice.hr.models import EmergencyContact

    other = EmergencyContact.objects.create(company=hr_org.company, employee=hr_org.manager_emp,
                                            full_name="Vợ trưởng phòng", phone="0912000000")  # fmt: skip
    portal_login(client, hr_org.staff, hr_org.company)
    response = client.post(reverse("portal:contact_add"),
                           {"full_name": "Nguyễn Văn Bố", "relationship": "Bố",
                            "phone": "0912 345 678"})  # fmt: skip
    assert response.status_code == 302
    mine = EmergencyContact.objects.get(employee=hr_org.staff_emp)
    assert mine.phone == "0912 345 678"
    body = client.get(reverse("portal:profile")).content.decode()
    assert "Nguyễn Văn Bố" in body
    assert "Vợ trưởng phòng" not in body
    # Someone else's contact: not found, untouched.
    assert client.post(reverse("portal:contact_delete", args=[other.public_id])).status_code == 404
    assert EmergencyContact.objects.filter(pk=other.pk).exists()
    client.post(reverse("portal:contact_delete", args=[mine.public_id]))
    assert not EmergencyContact.objects.filter(pk=mine.pk).exists()
    assert AuditEvent.objects.filter(event_type="EMERGENCY_CONTACT_REMOVED").exists()


def test_contact_form_needs_name_and_phone(staff_client, hr_org):
    from backoffice.hr.models import EmergencyContact

    response = staff_client.post(reverse("portal:contact_add"), {"full_name": "A"})
    assert response.status_code == 302
    assert not EmergencyContact.objects.exists()

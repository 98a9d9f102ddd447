from django.test import Client

from backoffice.core import mfa
from backoffice.core.enums import Role


def test_second_factor_rotates_the_session_and_opens_the_desk(company_a, make_user, totp_for):
    user = make_user(company_a, roles=[Role.ACCOUNTANT])
    key = totp_for(user)
    client = Client()
    client.force_login(user, backend="backoffice.core.backends.CompanyRoleBackend")
    assert client.get("/desk/").status_code == 302  # to the verify step
    before = client.session.session_key
    response = client.post(
        "/account/2fa/verify/", {"token": mfa.current_token(key), "next": "/desk/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/desk/"
    assert client.session.session_key != before
    assert client.get("/desk/").status_code == 200


def test_wrong_code_keeps_the_desk_closed_and_is_audited(company_a, make_user, totp_for):
    from backoffice.core.models import AuditEvent

    user = make_user(company_a, roles=[Role.ACCOUNTANT])
    totp_for(user)
    client = Client()
    client.force_login(user, backend="backoffice.core.backends.CompanyRoleBackend")
    client.post("/account/2fa/verify/", {"token": "000000"})
    assert client.get("/desk/").status_code == 302
    assert AuditEvent.objects.filter(event_type="MFA_FAILED", actor=user).count() == 1


def test_switching_company_from_a_record_goes_back_to_the_list(
    client, company_a, company_b, make_user, desk_login
):
    from backoffice.core.middleware import SESSION_KEY
    from backoffice.core.models import Membership

    user = make_user(company_a, roles=[Role.ADMIN])
    Membership.objects.create(user=user, company=company_b, role=Role.ADMIN)
    desk_login(client, user, company_a)
    response = client.post(
        "/account/company/switch/", {"company": "BCO", "next": "/desk/core/department/7/change/"}
    )
    assert response["Location"] == "/desk/core/department/"
    assert client.session[SESSION_KEY] == company_b.pk
    refused = client.post("/account/company/switch/", {"company": "NOPE", "next": "/desk/"})
    assert refused.status_code == 302
    assert client.session[SESSION_KEY] == company_b.pk

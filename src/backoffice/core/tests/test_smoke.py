def test_desk_dashboard_shows_company_figures(client, company_a, make_user, desk_login):
    from backoffice.core.enums import Role
    from backoffice.core.models import Department

    Department.objects.create(company=company_a, code="KT", name="Phòng Kế toán")
    admin = make_user(company_a, roles=[Role.ADMIN])
    desk_login(client, admin, company_a)
    response = client.get("/desk/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Công ty A" in body
    assert 'data-figure="departments"' in body

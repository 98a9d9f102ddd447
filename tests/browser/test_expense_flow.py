"""An expense claim in a real browser: the employee enters it with a receipt and
submits it; their manager approves it from the approval panel.

Same setup as test_desk_flow.py: Debian's chromium through Playwright against
pytest-django's ``live_server``, log in with a password and a TOTP code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kh0ng-doan-duoc!"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(make_company, make_user, totp_for):
    from backoffice.core.enums import Role
    from backoffice.core.models import Department, Membership
    from backoffice.workflow.services import default_policies_create

    a = make_company("ACO", name="Công ty TNHH Sao Mai")
    default_policies_create(company=a)
    staff = make_user(a, roles=[Role.EMPLOYEE], email="nv@saomai.vn", full_name="Lê Văn Nhân")
    manager = make_user(a, roles=[Role.EMPLOYEE], email="tp@saomai.vn", full_name="Trần Trưởng")
    chief = make_user(a, roles=[Role.CHIEF_ACCOUNTANT], email="ktt@saomai.vn")
    sales = Department.objects.create(company=a, code="KD", name="Phòng Kinh doanh",
                                      manager=manager)  # fmt: skip
    Membership.objects.filter(user__in=[staff, manager, chief]).update(department=sales)
    return {"a": a, "staff": staff, "manager": manager, "chief": chief,
            "keys": {u.pk: totp_for(u) for u in (staff, manager)}}  # fmt: skip


def test_submit_claim_with_receipt_and_manager_approves(
    new_page, people, tmp_path: Path, log_in_with_mfa
):
    from backoffice.workflow.models import ExpenseClaim

    staff, manager = people["staff"], people["manager"]
    receipt = tmp_path / "hoa-don-taxi.pdf"
    receipt.write_bytes(PDF)

    # Given an employee, when they open "My work" and start a new expense claim
    page = new_page()
    log_in_with_mfa(page, staff, people["keys"][staff.pk], PASSWORD)
    page.goto("/desk/workflow/mytask/overview/")
    page.locator("#wf-my-work a[href$='/myexpenseclaim/add/']").click()
    page.wait_for_url(re.compile(r"/myexpenseclaim/add/"))

    # and enter a title, one line and the receipt, and save
    page.fill("input[name=title]", "Taxi gặp khách hàng")
    page.fill("input[name=lines-0-date]", "03/11/2026")
    page.fill("input[name=lines-0-description]", "Taxi từ văn phòng đến Quận 7")
    page.fill("input[name=lines-0-amount]", "320000")
    page.set_input_files("input[name=receipt]", str(receipt))
    page.locator("button[name=_save]").click()

    # then the claim is saved as a draft with its total, and can be submitted
    page.wait_for_url(re.compile(r"/myexpenseclaim/\d+/change/"))
    assert "320.000 ₫" in page.locator("body").inner_text()
    claim = ExpenseClaim.objects.get(title="Taxi gặp khách hàng")
    assert claim.state == "draft"
    assert claim.lines.count() == 1
    page.locator("#wf-submit").click()
    page.wait_for_selector("#wf-steps")
    claim.refresh_from_db()
    assert claim.state == "submitted"

    # When the manager logs in, the claim waits for them in "My work"
    page2 = new_page()
    log_in_with_mfa(page2, manager, people["keys"][manager.pk], PASSWORD)
    page2.goto("/desk/workflow/mytask/overview/")
    page2.get_by_role("link", name=re.compile("Taxi gặp khách hàng")).click()
    page2.wait_for_selector("#wf-decide-form")
    body = page2.locator("body").inner_text()
    assert "Taxi từ văn phòng đến Quận 7" in body
    assert "Lê Văn Nhân" in body

    # and they approve it with a comment
    page2.fill("#wf-comment", "Đồng ý, chuyển kế toán trưởng")
    page2.locator("#wf-approve").click()
    page2.wait_for_selector("#wf-decisions")
    assert "Đồng ý, chuyển kế toán trưởng" in page2.locator("#wf-decisions").inner_text()
    assert page2.locator("#wf-decide-form").count() == 0

    # then the first step is approved and the chief accountant's step is next
    steps = list(claim.approval.steps.values_list("state", flat=True))
    assert steps == ["approved", "pending"]
    decision = claim.approval.decisions.get()
    assert decision.actor == manager
    assert decision.comment == "Đồng ý, chuyển kế toán trưởng"
    from backoffice.records.models import Document

    assert Document.objects.filter(owner_id=str(claim.pk), doc_type="receipt").count() == 1

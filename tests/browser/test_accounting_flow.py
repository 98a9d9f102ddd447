"""A chief accountant in a real browser: a phiếu chi entered with its lines,
posted, printed, and the trial balance opened.

Same setup as test_desk_flow (Debian's chromium through Playwright against
``live_server``; ``DJANGO_ALLOW_ASYNC_UNSAFE`` only while the browser is up).
With ``BACKOFFICE_SCREENSHOTS=1`` it refreshes the accounting guide's
screenshots, ``docs/user-guide/img/accounting-*.png``.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kh0ng-doan-duoc!"
IMG_DIR = Path(__file__).resolve().parents[2] / "docs" / "user-guide" / "img"
SCREENSHOTS = os.environ.get("BACKOFFICE_SCREENSHOTS") == "1"


def shot(page, name: str, full_page: bool = False) -> None:
    if SCREENSHOTS:
        IMG_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(IMG_DIR / f"accounting-{name}.png"), full_page=full_page)


@pytest.fixture
def books(make_company, make_user, totp_for):
    """A company with a few months of demo books and its chief accountant."""
    from backoffice.accounting import demo
    from backoffice.core.enums import Role

    company = make_company(
        "SAOMAI",
        name="Công ty TNHH Sao Mai",
        address="12 Lê Lợi, Phường Sài Gòn, TP. Hồ Chí Minh",
        tax_code="0312345678",
    )
    demo.company_books(company, seed=7)
    chief = make_user(
        company,
        roles=[Role.CHIEF_ACCOUNTANT],
        email="ke.toan.truong@saomai.vn",
        full_name="Lê Minh Châu",
    )
    return {"company": company, "chief": chief, "key": totp_for(chief)}


def test_chief_accountant_enters_posts_and_prints_a_payment_voucher(page, books, log_in_with_mfa):
    from backoffice.accounting.models import Entry, EntryState

    company, chief = books["company"], books["chief"]
    log_in_with_mfa(page, chief, books["key"], PASSWORD)

    # The sidebar has the accounting group; the entries list shows the demo vouchers.
    page.goto("/desk/accounting/entry/")
    assert page.locator("#result_list tbody tr").count() > 10
    shot(page, "entries")

    # Given the new-entry form, when the chief accountant fills in a phiếu chi
    page.goto("/desk/accounting/entry/add/")
    page.fill("input[name=date]", date.today().strftime("%d/%m/%Y"))
    page.select_option("select[name=journal]", label="CASH Tiền mặt")
    page.select_option("select[name=voucher_type]", value="PC")
    page.fill("input[name=description]", "Chi tiền mua mực in và giấy A4")
    page.fill("input[name=partner]", "Nguyễn Văn An")
    page.select_option("select[name=lines-0-account]", label="642 Chi phí quản lý doanh nghiệp")
    page.fill("input[name=lines-0-debit]", "1234567")
    page.select_option("select[name=lines-1-account]", label="1111 Tiền Việt Nam")
    page.fill("input[name=lines-1-credit]", "1234567")
    shot(page, "voucher-form", full_page=True)

    # and presses "Save and post"
    page.locator("#bo-save-and-post button[name=_post]").click()

    # then the voucher is posted with its number, read-only, with its print button
    page.wait_for_url(re.compile(r"/desk/accounting/entry/\d+/change/$"))
    entry = Entry.objects.get(company=company, description="Chi tiền mua mực in và giấy A4")
    assert entry.state == EntryState.POSTED
    assert entry.number in page.locator("#bo-entry-number").inner_text()
    assert page.locator("#bo-entry-print").count() == 1
    assert page.locator("#bo-entry-reverse").count() == 1
    assert page.locator("input[name=description]").count() == 0  # read-only now
    shot(page, "voucher-posted", full_page=True)

    # The printed voucher is a PDF with the amount in words.
    with page.expect_popup() as popup:
        page.locator("#bo-entry-print button").click()
    pdf_page = popup.value
    pdf_page.wait_for_load_state()
    pdf_page.close()

    # When they open the trial balance, the voucher's accounts are there, balanced.
    page.goto("/desk/accounting/reports/trial-balance/")
    body = page.locator("body").inner_text()
    assert "642" in body
    assert "1111" in body
    shot(page, "trial-balance", full_page=True)


def test_period_close_checklist_and_import_screens(page, books, log_in_with_mfa):
    """Screens of the guide: the periods with the close action, the CSV import."""
    log_in_with_mfa(page, books["chief"], books["key"], PASSWORD)
    page.goto("/desk/accounting/period/")
    assert page.locator("#result_list tbody tr").count() >= 12
    shot(page, "periods")
    page.goto("/desk/accounting/entry/import/")
    assert (
        "entry,date,journal,description,account,debit,credit,currency"
        in page.locator("#bo-import-header").inner_text()
    )
    shot(page, "import")
    page.goto("/desk/accounting/account/?q=112")
    shot(page, "chart")

"""The accounting desk: a chief accountant's day (vouchers with their lines, post,
reverse, print, chart, periods, imports), and the refusals (another company's
entry, a role without the permission, a posted entry, a bad import)."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from backoffice.accounting.models import (
    Account,
    Entry,
    EntryState,
    ExchangeRate,
    Line,
    Period,
    PeriodState,
    VoucherType,
)
from backoffice.core.enums import Role


@pytest.fixture
def books(company_a):
    from backoffice.accounting import services

    services.books_create(actor=None, company=company_a)
    return company_a


@pytest.fixture
def chief(books, make_user):
    return make_user(books, roles=[Role.CHIEF_ACCOUNTANT], email="ktt@example.vn")


@pytest.fixture
def desk(client, chief, books, desk_login):
    return desk_login(client, chief, books)


def _acct(company, code) -> int:
    return Account.objects.get(company=company, code=code).pk


def _management(html: str) -> dict[str, str]:
    """The inline formsets' management fields of a change page, as the browser sends them."""
    data = {}
    for name, value in re.findall(
        r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d*)"', html
    ):
        data[name] = value
    return data


def _entry_form(client, url, company, lines, **fields):
    html = client.get(url).content.decode()
    data = _management(html)
    data.update(
        {
            "date": timezone.localdate().strftime("%d/%m/%Y"),
            "journal": "",
            "voucher_type": VoucherType.PAYMENT,
            "description": "Chi tiền mua văn phòng phẩm",
            "partner": "Nguyễn Văn An",
            "reference": "",
            "currency": "VND",
            "rate": "",
            "lines-TOTAL_FORMS": str(len(lines)),
        }
    )
    data.update(fields)
    for i, (code, debit, credit) in enumerate(lines):
        data.update(
            {
                f"lines-{i}-account": str(_acct(company, code)),
                f"lines-{i}-description": "",
                f"lines-{i}-debit": str(debit or ""),
                f"lines-{i}-credit": str(credit or ""),
                f"lines-{i}-amount_currency": "",
                f"lines-{i}-department": "",
            }
        )
    return data


def _create_draft(desk, company, lines=(("642", 1_234_567, 0), ("1111", 0, 1_234_567)), **kw):
    from backoffice.accounting.models import Journal

    url = "/desk/accounting/entry/add/"
    data = _entry_form(desk, url, company, lines, **kw)
    data["journal"] = str(Journal.objects.get(company=company, code="CASH").pk)
    return desk.post(url, data)


# --- entries ------------------------------------------------------------------------------


def test_chief_accountant_creates_a_payment_voucher_with_its_lines(desk, books):
    response = _create_draft(desk, books)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = Entry.objects.get(company=books)
    assert entry.state == EntryState.DRAFT
    assert entry.voucher_type == VoucherType.PAYMENT
    assert [(ln.account.code, ln.debit, ln.credit) for ln in entry.lines.order_by("position")] == [
        ("642", Decimal(1_234_567), 0),
        ("1111", 0, Decimal(1_234_567)),
    ]
    listing = desk.get("/desk/accounting/entry/").content.decode()
    assert "Chi tiền mua văn phòng phẩm" in listing
    assert "1.234.567\u00a0₫" in listing


def test_unbalanced_voucher_is_refused_on_the_form_and_nothing_is_written(desk, books):
    response = _create_draft(
        desk, books, lines=(("642", 1_000_000, 0), ("1111", 0, 900_000)), _post="1"
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode() or "errorlist" in response.content.decode()
    assert not Entry.objects.exists()
    assert not Line.objects.exists()


def test_line_with_both_sides_is_refused(desk, books):
    response = _create_draft(desk, books, lines=(("642", 5, 5), ("1111", 0, 5)))
    assert response.status_code == 200
    assert not Entry.objects.exists()


def test_save_and_post_numbers_the_voucher(desk, books):
    response = _create_draft(desk, books, _post="1")
    assert response.status_code == 302
    entry = Entry.objects.get(company=books)
    assert entry.state == EntryState.POSTED
    assert entry.number
    assert response["Location"].endswith(f"/accounting/entry/{entry.pk}/change/")


def test_draft_lines_are_edited_through_the_service(desk, books):
    _create_draft(desk, books)
    entry = Entry.objects.get()
    url = f"/desk/accounting/entry/{entry.pk}/change/"
    html = desk.get(url).content.decode()
    data = _entry_form(desk, url, books, (("642", 2_000_000, 0), ("1111", 0, 2_000_000)))
    data["journal"] = str(entry.journal_id)
    data["lines-INITIAL_FORMS"] = "0"  # replace the lines: the old rows are not resent
    assert 'name="lines-TOTAL_FORMS"' in html
    response = desk.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry.refresh_from_db()
    assert entry.total == Decimal(2_000_000)
    assert entry.lines.count() == 2


def test_post_reverse_and_print_from_the_entry_page(desk, books):
    from pypdf import PdfReader

    _create_draft(desk, books)
    entry = Entry.objects.get()
    page = desk.get(f"/desk/accounting/entry/{entry.pk}/change/").content.decode()
    assert 'id="bo-entry-post"' in page
    assert 'id="bo-entry-print"' in page

    # Post: the page's button submits the changelist action for this entry.
    response = desk.post(
        "/desk/accounting/entry/", {"action": "post_entries", "_selected_action": [entry.pk]}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.POSTED
    assert entry.number

    # A posted entry is read-only: a forged change does nothing.
    page = desk.get(f"/desk/accounting/entry/{entry.pk}/change/").content.decode()
    assert 'id="bo-entry-reverse"' in page
    assert 'id="bo-entry-post"' not in page
    desk.post(f"/desk/accounting/entry/{entry.pk}/change/", {"description": "HACKED"})
    entry.refresh_from_db()
    assert entry.description != "HACKED"

    # Print: a PDF with the number and the amount in words.
    response = desk.post(
        "/desk/accounting/entry/", {"action": "print_vouchers", "_selected_action": [entry.pk]}
    )
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert entry.number in text
    assert "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng chẵn" in text

    # Reverse: a confirmation with the date, then a linked, posted reversal.
    response = desk.post(
        "/desk/accounting/entry/", {"action": "reverse_entries", "_selected_action": [entry.pk]}
    )
    assert response.status_code == 200
    assert 'id="bo-reverse-form"' in response.content.decode()
    response = desk.post(
        "/desk/accounting/entry/",
        {"action": "reverse_entries", "_selected_action": [entry.pk], "apply": "1", "date": ""},
    )
    assert response.status_code == 302
    reversal = Entry.objects.get(reversal_of=entry)
    assert reversal.state == EntryState.POSTED
    assert [(ln.account.code, ln.debit) for ln in reversal.lines.order_by("position")] == [
        ("642", 0),
        ("1111", Decimal(1_234_567)),
    ]


def test_accountant_of_another_company_sees_nothing(
    client, books, make_company, make_user, desk_login
):
    from backoffice.accounting import services

    _payment = services.entry_create(
        actor=None,
        company=books,
        date=timezone.localdate(),
        description="SECRET-OF-A",
        lines=[
            services.LineInput(account="642", debit=Decimal(100)),
            services.LineInput(account="1111", credit=Decimal(100)),
        ],
    )
    other = make_company("ZCO")
    services.books_create(actor=None, company=other)
    stranger = make_user(other, roles=[Role.CHIEF_ACCOUNTANT])
    desk_login(client, stranger, other)
    assert "SECRET-OF-A" not in client.get("/desk/accounting/entry/").content.decode()
    response = client.get(f"/desk/accounting/entry/{_payment.pk}/change/")
    assert response.status_code == 302  # "does not exist" back to the index
    client.post(
        "/desk/accounting/entry/", {"action": "post_entries", "_selected_action": [_payment.pk]}
    )
    client.post(
        "/desk/accounting/entry/",
        {"action": "delete_selected", "_selected_action": [_payment.pk], "post": "yes"},
    )
    _payment.refresh_from_db()
    assert _payment.state == EntryState.DRAFT


def test_a_role_without_posting_rights_cannot_post(client, books, make_user, desk_login):
    from backoffice.accounting import services

    draft = services.entry_create(
        actor=None,
        company=books,
        date=timezone.localdate(),
        description="Nháp",
        lines=[
            services.LineInput(account="642", debit=Decimal(100)),
            services.LineInput(account="1111", credit=Decimal(100)),
        ],
    )
    auditor = make_user(books, roles=[Role.COMPLIANCE_OFFICER])
    desk_login(client, auditor, books)
    assert client.get("/desk/accounting/entry/").status_code == 200  # may read
    page = client.get(f"/desk/accounting/entry/{draft.pk}/change/").content.decode()
    assert 'id="bo-entry-post"' not in page
    client.post(
        "/desk/accounting/entry/", {"action": "post_entries", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.state == EntryState.DRAFT
    assert client.get("/desk/accounting/entry/add/").status_code == 403


# --- chart, periods, rates -----------------------------------------------------------------


def test_add_a_sub_account(desk, books):
    parent = Account.objects.get(company=books, code="1121")
    response = desk.post(
        "/desk/accounting/account/add/",
        {
            "code": "1121.VCB",
            "name": "Tiền gửi Vietcombank",
            "name_en": "",
            "type": "asset",
            "parent": str(parent.pk),
            "tag": "bank",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sub = Account.objects.get(company=books, code="1121.VCB")
    assert sub.parent == parent


def test_import_chart_csv_lists_errors_with_row_numbers_and_changes_nothing(desk, books):
    before = Account.objects.filter(company=books).count()
    csv = "code,name,type,parent\n1121.ACB,Tiền gửi ACB,asset,1121\n9X,Sai loại,nonsense,\n"
    upload = io.BytesIO(csv.encode())
    upload.name = "chart.csv"
    response = desk.post("/desk/accounting/account/import/", {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "3" in re.sub(r"<[^>]+>", " ", body.split('id="bo-import-errors"')[1])
    assert Account.objects.filter(company=books).count() == before

    upload = io.BytesIO(
        b"code,name,type,parent\n1121.ACB,Ti\xe1\xbb\x81n g\xe1\xbb\xadi ACB,asset,1121\n"
    )
    upload.name = "chart.csv"
    response = desk.post("/desk/accounting/account/import/", {"file": upload})
    assert response.status_code == 302
    assert Account.objects.filter(company=books, code="1121.ACB").exists()


def test_period_close_lock_and_reopen(desk, books):
    period = Period.objects.filter(
        company=books, start__lte=timezone.localdate(), end__gte=timezone.localdate()
    ).get()
    for action, state in (
        ("close_periods", PeriodState.CLOSED),
        ("lock_periods", PeriodState.LOCKED),
        ("unlock_periods", PeriodState.CLOSED),
        ("reopen_periods", PeriodState.OPEN),
    ):
        desk.post("/desk/accounting/period/", {"action": action, "_selected_action": [period.pk]})
        period.refresh_from_db()
        assert period.state == state, action


def test_run_close_shows_the_checklist_first(desk, books):
    period = Period.objects.filter(
        company=books, start__lte=timezone.localdate(), end__gte=timezone.localdate()
    ).get()
    response = desk.post(
        "/desk/accounting/period/", {"action": "run_close", "_selected_action": [period.pk]}
    )
    assert response.status_code == 200
    assert 'id="bo-checklist"' in response.content.decode()
    period.refresh_from_db()
    assert period.state == PeriodState.OPEN


def test_exchange_rate_is_set_through_the_service(desk, books):
    response = desk.post(
        "/desk/accounting/exchangerate/add/",
        {"currency": "USD", "date": timezone.localdate().strftime("%d/%m/%Y"), "rate": "25350"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ExchangeRate.objects.get(company=books, currency="USD").rate == Decimal(25350)


# --- the journal import job ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_journal_import_job_reports_the_bad_row_and_stores_nothing(
    client, company_a, make_user, desk_login
):
    from backoffice.accounting import services
    from backoffice.core.models import Job

    services.books_create(actor=None, company=company_a)
    chief = make_user(company_a, roles=[Role.CHIEF_ACCOUNTANT])
    desk_login(client, chief, company_a)
    day = timezone.localdate().isoformat()
    csv = (
        "entry,date,journal,description,account,debit,credit,currency\n"
        f"1,{day},,Góp vốn,1121,1000000,,\n"
        f"1,{day},,Góp vốn,4111,,1000000,\n"
        f"2,{day},,Sai tài khoản,99999,500,,\n"
        f"2,{day},,Sai tài khoản,1111,,500,\n"
    )
    upload = io.BytesIO(csv.encode())
    upload.name = "journal.csv"
    response = client.post("/desk/accounting/entry/import/", {"file": upload})
    assert response.status_code == 302
    job = Job.objects.get(kind="accounting.journal_import")
    assert response["Location"].endswith(f"/core/job/{job.pk}/change/")
    assert job.status == "failed"
    assert "4" in job.error
    assert "99999" in job.error
    assert not Entry.objects.filter(company=company_a).exists()
    assert not any((company_a and p.name.startswith("journal-")) for p in _imports_dir())

    upload = io.BytesIO(csv.split(f"2,{day}")[0].encode())
    upload.name = "journal.csv"
    client.post("/desk/accounting/entry/import/", {"file": upload})
    job = Job.objects.filter(kind="accounting.journal_import").latest("pk")
    assert job.status == "succeeded", job.error
    assert job.result["entries"] == 1
    assert Entry.objects.get(company=company_a).state == EntryState.POSTED


def _imports_dir():
    from django.conf import settings

    folder = settings.HOME / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_run_close_with_acknowledged_checks_transfers_to_911(desk, books):
    from backoffice.accounting import closing, services

    services.entry_create(
        actor=None,
        company=books,
        date=timezone.localdate(),
        description="Bán hàng thu tiền mặt",
        lines=[
            services.LineInput(account="1111", debit=Decimal(11_000_000)),
            services.LineInput(account="5111", credit=Decimal(10_000_000)),
            services.LineInput(account="33311", credit=Decimal(1_000_000)),
        ],
        post=True,
    )
    services.entry_create(  # a draft left in the period: a check to acknowledge
        actor=None,
        company=books,
        date=timezone.localdate(),
        description="Nháp",
        lines=[
            services.LineInput(account="642", debit=Decimal(100)),
            services.LineInput(account="1111", credit=Decimal(100)),
        ],
    )
    period = Period.objects.filter(
        company=books, start__lte=timezone.localdate(), end__gte=timezone.localdate()
    ).get()
    page = desk.post(
        "/desk/accounting/period/", {"action": "run_close", "_selected_action": [period.pk]}
    ).content.decode()
    open_items = [i.key for i in closing.close_checklist(period=period) if not i.ok]
    assert open_items
    assert all(f'value="{key}"' in page for key in open_items)
    response = desk.post(
        "/desk/accounting/period/",
        {
            "action": "run_close",
            "_selected_action": [period.pk],
            "apply": "1",
            "acknowledge": open_items,
        },
    )
    assert response.status_code == 302
    closing_entries = Entry.objects.filter(company=books, source="closing")
    assert closing_entries.exists()
    assert Line.objects.filter(entry__in=closing_entries, account__code="911").exists()


def test_entry_list_queries_do_not_grow_with_the_entries(
    desk, books, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from backoffice.accounting import services

    def add(n):
        for i in range(n):
            services.entry_create(
                actor=None,
                company=books,
                date=timezone.localdate(),
                description=f"ROW-{i}",
                lines=[
                    services.LineInput(account="642", debit=Decimal(100 + i)),
                    services.LineInput(account="1111", credit=Decimal(100 + i)),
                ],
            )

    add(2)
    with CaptureQueriesContext(connection) as few:
        page = desk.get("/desk/accounting/entry/")
    assert page.status_code == 200
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = desk.get("/desk/accounting/entry/")
    html = page.content.decode()
    assert html.count("ROW-") >= 10
    assert "107\u00a0₫" in html

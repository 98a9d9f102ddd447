"""Vouchers: the amount in Vietnamese words and the printed PDF."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from backoffice.accounting.voucher import amount_in_words_vi, voucher_pdf, vouchers_pdf


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng chẵn"),
        (105_000, "Một trăm linh năm nghìn đồng chẵn"),
        (1_000_000, "Một triệu đồng chẵn"),
        (
            1_234_567,
            "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng chẵn",
        ),
        (1_000_000_000, "Một tỷ đồng chẵn"),
        # Groups after the first are read with all their digits, as on vouchers.
        (2_005_000, "Hai triệu không trăm linh năm nghìn đồng chẵn"),
        (1_000_045, "Một triệu không trăm bốn mươi lăm đồng chẵn"),
        (21_000_000, "Hai mươi mốt triệu đồng chẵn"),
        (1_000_000_000_000, "Một nghìn tỷ đồng chẵn"),
        (3_000_500_000_000, "Ba nghìn tỷ năm trăm triệu đồng chẵn"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words_vi(amount) == words


def test_vnd_is_rounded_to_whole_dong_half_up():
    assert amount_in_words_vi(Decimal("999.5")) == "Một nghìn đồng chẵn"
    assert amount_in_words_vi(Decimal("1000.49")) == "Một nghìn đồng chẵn"


def test_other_currencies_read_their_cents_and_negatives_say_am():
    assert amount_in_words_vi(Decimal("12.50"), "USD") == "Mười hai đô la Mỹ và năm mươi xu"
    assert amount_in_words_vi(Decimal("-1500")) == "Âm một nghìn năm trăm đồng chẵn"


def test_floats_are_refused():
    with pytest.raises(TypeError):
        amount_in_words_vi(1.5)


# --- the PDF ------------------------------------------------------------------------------


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def books(company_a):
    from backoffice.accounting import services

    company_a.address = "12 Lê Lợi, Quận 1, TP. Hồ Chí Minh"
    company_a.save()
    services.books_create(actor=None, company=company_a)
    return company_a


def _payment(company, post=True):
    from backoffice.accounting import services
    from backoffice.accounting.models import VoucherType

    return services.entry_create(
        actor=None,
        company=company,
        date=date.today(),
        description="Chi tiền mua văn phòng phẩm",
        partner="Nguyễn Văn An",
        journal="CASH",
        voucher_type=VoucherType.PAYMENT,
        lines=[
            services.LineInput(account="642", debit=Decimal(1_234_567)),
            services.LineInput(account="1111", credit=Decimal(1_234_567)),
        ],
        post=post,
    )


def test_posted_payment_prints_the_customary_form(books):
    entry = _payment(books)
    text = _flat(_text(voucher_pdf(entry)))
    assert "PHIẾU CHI" in text
    assert "Mẫu số 02-TT" in text
    assert entry.number in text
    assert "1.234.567 ₫" in text
    assert "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng chẵn" in text
    assert "Nguyễn Văn An" in text
    assert books.name in text
    assert f"Ngày {entry.date.day:02d} tháng {entry.date.month:02d} năm {entry.date.year}" in text
    for box in ("Giám đốc", "Kế toán trưởng", "Người nhận tiền", "Người lập phiếu", "Thủ quỹ"):
        assert box in text
    assert "Nợ: 642" in text
    assert "Có: 1111" in text
    assert "NHÁP" not in text


def test_draft_prints_with_the_draft_mark_and_no_number(books):
    entry = _payment(books, post=False)
    text = _flat(_text(voucher_pdf(entry)))
    assert "NHÁP / DRAFT" in text
    assert "(chưa ghi sổ)" in text


def test_journal_voucher_lists_its_lines_and_several_print_one_per_page(books):
    from pypdf import PdfReader

    from backoffice.accounting import services

    pkt = services.entry_create(
        actor=None,
        company=books,
        date=date.today(),
        description="Trích khấu hao TSCĐ",
        lines=[
            services.LineInput(account="642", debit=Decimal(6_000_000)),
            services.LineInput(account="2141", credit=Decimal(6_000_000)),
        ],
        post=True,
    )
    pdf = vouchers_pdf([pkt, _payment(books)])
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    text = _flat(_text(pdf))
    assert "PHIẾU KẾ TOÁN" in text
    assert "2141" in text
    assert "6.000.000 ₫" in text
    assert "Sáu triệu đồng chẵn" in text

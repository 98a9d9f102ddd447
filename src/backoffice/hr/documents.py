"""Contract documents: a Vietnamese template rendered to DOCX (python-docx) or
PDF (fpdf2 with the DejaVu fonts, which carry every Vietnamese diacritic).

Templates are plain text with ``{{ placeholders }}`` (Django template syntax,
no HTML escaping): the shipped defaults are ``hr/data/contract_templates/
labour.txt`` and ``service.txt``; a company's active ``ContractTemplate`` of
the same type replaces them. Line marks: ``# `` title, ``## `` heading, ``^ ``
centred line, ``- `` bullet.

Every generated file is stored in the records store as a confidential
document owned by the contract (encrypted at rest; reads audited); the same
content is stored once (a fingerprint in the document's metadata).
"""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template import Context, Engine
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.enums import Classification
from backoffice.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from backoffice.core.fields import mask
from backoffice.core.selectors import require_perm
from backoffice.hr.enums import ContractType, Gender
from backoffice.hr.models import Contract, ContractTemplate

TEMPLATE_DIR = Path(__file__).parent / "data" / "contract_templates"
TITLES: dict[str, str] = {
    ContractType.PROBATION: "HỢP ĐỒNG THỬ VIỆC",
    ContractType.FIXED_TERM: "HỢP ĐỒNG LAO ĐỘNG",
    ContractType.INDEFINITE: "HỢP ĐỒNG LAO ĐỘNG",
    ContractType.SERVICE: "HỢP ĐỒNG DỊCH VỤ",
}
TYPE_LABELS_VI: dict[str, str] = {
    ContractType.PROBATION: "Hợp đồng thử việc",
    ContractType.FIXED_TERM: "Hợp đồng lao động xác định thời hạn",
    ContractType.INDEFINITE: "Hợp đồng lao động không xác định thời hạn",
    ContractType.SERVICE: "Hợp đồng dịch vụ (cộng tác viên)",
}
RATE_UNITS_VI = {"hour": "/giờ", "day": "/ngày", "month": "/tháng", "deliverable": "/sản phẩm"}
GENDERS_VI: dict[str, str] = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ", Gender.OTHER: "Khác"}
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
_ENGINE = Engine(autoescape=False)


def _d(day: Any) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def _money(value: Decimal | None) -> str:
    if value is None:
        return "…"
    return f"{int(value):,}".replace(",", ".")


def _words(value: Decimal | None) -> str:
    if value is None:
        return "…"
    from num2words import num2words

    text = num2words(int(value), lang="vi")
    return text[:1].upper() + text[1:] + " đồng"


def template_body(contract: Contract) -> str:
    own = (
        ContractTemplate.objects.filter(
            company=contract.company, contract_type=contract.contract_type, is_active=True
        )
        .exclude(body="")
        .order_by("id")
        .first()
    )
    if own is not None:
        return str(own.body)
    name = "service.txt" if contract.contract_type == ContractType.SERVICE else "labour.txt"
    return (TEMPLATE_DIR / name).read_text(encoding="utf-8")


def context_for(contract: Contract, *, include_pii: bool) -> dict[str, Any]:
    emp, company = contract.employee, contract.company
    national_id = emp.national_id or ""
    probation = contract.contract_type == ContractType.PROBATION
    percent = ""
    if probation and contract.salary and contract.job_salary:
        percent = f"{(contract.salary * 100 / contract.job_salary):.0f}"
    return {
        "title": TITLES[contract.contract_type],
        "number": contract.number,
        "company_name": company.name,
        "company_tax_code": company.tax_code or "…",
        "company_address": company.address or "…",
        "signed_on": _d(contract.signed_on or contract.start_date),
        "employee_name": emp.full_name,
        "employee_code": emp.code,
        "employee_dob": _d(emp.date_of_birth),
        "employee_gender": GENDERS_VI.get(emp.gender, "…"),
        "employee_nationality": "Việt Nam" if emp.nationality == "VN" else emp.nationality,
        "employee_national_id": (national_id if include_pii else mask(national_id)) or "…",
        "employee_address": emp.permanent_address or emp.current_address or "…",
        "type_label": TYPE_LABELS_VI[contract.contract_type],
        "start_date": _d(contract.start_date),
        "end_date": _d(contract.end_date) if contract.end_date else "",
        "department": contract.department.name if contract.department else "…",
        "position": contract.position.name if contract.position else "…",
        "work_location": contract.work_location or company.address or "…",
        "probation": probation,
        "probation_percent": percent,
        "salary": _money(contract.salary),
        "salary_words": _words(contract.salary),
        "job_salary": _money(contract.job_salary),
        "scope": contract.scope or "…",
        "rate": _money(contract.rate),
        "rate_words": _words(contract.rate),
        "rate_unit": RATE_UNITS_VI.get(contract.rate_unit, ""),
    }


def render_lines(contract: Contract, *, include_pii: bool) -> list[str]:
    try:
        template = _ENGINE.from_string(template_body(contract))
        text = template.render(Context(context_for(contract, include_pii=include_pii)))
    except Exception as exc:  # a company's own template with a syntax error
        raise ValidationFailed(
            _("The contract template cannot be rendered: %(e)s") % {"e": exc},
            code="template_error",
        ) from exc
    return text.splitlines()


def to_docx(lines: list[str]) -> bytes:
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Docx()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    for line in lines:
        if line.startswith("# "):
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(line[2:].strip())
            run.bold, run.font.size = True, Pt(16)
        elif line.startswith("## "):
            p = doc.add_paragraph()
            p.add_run(line[3:].strip()).bold = True
        elif line.startswith("^ "):
            p = doc.add_paragraph(line[2:].strip())
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif line.startswith("- "):
            doc.add_paragraph(line[2:].strip(), style="List Bullet")
        elif line.strip():
            doc.add_paragraph(line.strip())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_pdf(lines: list[str]) -> bytes:
    from fpdf import FPDF

    from backoffice.accounting.exports import FONT_FILES, font_dir

    fonts = font_dir()
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    for style, name in FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(fonts / name))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for line in lines:
        if line.startswith("# "):
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 15)
            pdf.multi_cell(width, 8, line[2:].strip(), align="C", new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("## "):
            pdf.ln(1)
            pdf.set_font("DejaVu", "B", 10.5)
            pdf.multi_cell(width, 6, line[3:].strip(), new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("^ "):
            pdf.set_font("DejaVu", "B", 10)
            pdf.multi_cell(width, 5.5, line[2:].strip(), align="C", new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("- "):
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(width, 5.5, "• " + line[2:].strip(), new_x="LMARGIN", new_y="NEXT")
        elif line.strip():
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(width, 5.5, line.strip(), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(2)
    return bytes(pdf.output())


def _filename(contract: Contract, fmt: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in contract.number)
    return f"hop-dong-{safe}.{fmt}"


def contract_document(
    *, actor: Any, company: Any, contract: Contract, fmt: str = "docx"
) -> tuple[str, bytes]:
    """The contract as DOCX or PDF ``(filename, bytes)``, stored in the records
    store (confidential, owner = the contract, department = the contract's).

    The document shows the salary, so it needs ``hr.view_contract`` and the
    right to see this person's salary; the full national ID is printed for
    holders of ``hr.reveal_pii`` (masked otherwise) and the audit event says so."""
    from backoffice.hr.selectors.contracts import salary_visible

    require_perm(actor, "hr.view_contract")
    if contract.company_id != company.pk:
        raise NotFound(_("%(what)s not found.") % {"what": _("Contract")})
    if not salary_visible(user=actor, company=company, contract=contract):
        raise PermissionDenied(
            _("Only HR managers, payroll staff and the employee see contract salaries."),
            code="salary_hidden",
        )
    if fmt not in FORMATS:
        raise ValidationFailed(_("Choose DOCX or PDF."), code="bad_format")
    include_pii = bool(actor.has_perm("hr.reveal_pii"))
    lines = render_lines(contract, include_pii=include_pii)
    data = to_docx(lines) if fmt == "docx" else to_pdf(lines)
    name = _filename(contract, fmt)
    fingerprint = hashlib.sha256(("\n".join(lines) + fmt).encode()).hexdigest()
    _store(actor, company, contract, fmt, name, data, fingerprint, include_pii)
    return name, data


@transaction.atomic
def _store(
    actor: Any, company: Any, contract: Contract, fmt: str, name: str, data: bytes,
    fingerprint: str, include_pii: bool,
) -> None:  # fmt: skip
    from django.contrib.contenttypes.models import ContentType

    from backoffice.records.models import Document
    from backoffice.records.services import document_attach

    existing = Document.objects.filter(
        company=company,
        owner_type=ContentType.objects.get_for_model(Contract),
        owner_id=str(contract.pk),
        metadata__fingerprint=fingerprint,
    ).exists()
    if not existing:
        document_attach(
            actor=actor, company=company, owner=contract,
            uploaded_file=SimpleUploadedFile(name, data, content_type=FORMATS[fmt]),
            title=f"{TITLES[contract.contract_type].capitalize()} {contract.number} — "
                  f"{contract.employee.full_name}"[:200],
            classification=Classification.CONFIDENTIAL, doc_type=f"hr.contract.{fmt}",
            department=contract.department or contract.employee.department,
            tags=["hr", "contract"], document_date=contract.signed_on or contract.start_date,
            metadata={"fingerprint": fingerprint, "contract": str(contract.public_id)},
        )  # fmt: skip
    audit_record(
        event_type="CONTRACT_DOCUMENT_GENERATED", actor=actor, company=company, target=contract,
        after={"format": fmt, "stored": not existing, "national_id_printed": include_pii},
    )  # fmt: skip

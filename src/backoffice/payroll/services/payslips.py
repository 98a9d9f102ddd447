"""Payslip services: the PDF (read, audited) and the e-mail to the employee.

* :func:`payslip_pdf`: payroll staff (``payroll.view_run``) for any payslip of
  the company; the employee for their own payslip of an approved run. Every
  generated PDF is an audit event (``PAYSLIP_PDF_GENERATED``).
* :func:`payslip_email`: ``payroll.manage_run``; the run must be approved (or
  paid, posted); sent to the person record's e-mail (else their account's),
  the PDF attached, after the commit; ``emailed_at`` is set and the event
  ``PAYSLIP_EMAILED`` recorded.
* :func:`run_payslips_email`: the same for every payslip of a run, as a
  background job (``payroll.email_payslips``); people without an e-mail
  address are skipped and counted.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from backoffice.core.selectors import require_perm
from backoffice.payroll.models import PayrollRun, Payslip
from backoffice.payroll.selectors import payslips as sel

EMAIL_JOB = "payroll.email_payslips"


def _same_company(actor: Any, company: Any, payslip: Payslip) -> None:
    active = getattr(actor, "active_company", None)
    if payslip.company_id != company.pk or (active is not None and active.pk != company.pk):
        raise NotFound(_("%(what)s not found.") % {"what": _("Payslip")})


def _may_read(user: Any, company: Any, payslip: Payslip) -> bool:
    if user.has_perm("payroll.view_run"):
        return True
    mine = sel.own_employee(user=user, company=company)
    return bool(
        mine is not None and payslip.employee_id == mine.pk and payslip.run.state in sel.RELEASED
    )


@transaction.atomic
def payslip_pdf(*, user: Any, company: Any, payslip: Payslip) -> tuple[str, bytes]:
    """``(filename, PDF bytes)``; anyone else than staff or the employee: not found."""
    from backoffice.payroll.documents import payslip_filename, payslip_pdf_bytes

    _same_company(user, company, payslip)
    if not _may_read(user, company, payslip):
        raise NotFound(_("%(what)s not found.") % {"what": _("Payslip")})
    view = sel.payslip_view(payslip)
    data = payslip_pdf_bytes(view, company)
    audit_record(
        event_type="PAYSLIP_PDF_GENERATED", actor=user, company=company, target=payslip,
        after={"period": view.period, "employee": view.employee.get("code", "")},
    )  # fmt: skip
    return payslip_filename(view), data


def _address(payslip: Payslip) -> str:
    emp = payslip.employee
    return str(emp.email or (emp.user.email if emp.user is not None else "") or "")


@transaction.atomic
def payslip_email(*, actor: Any, company: Any, payslip: Payslip) -> Payslip:
    require_perm(actor, "payroll.manage_run")
    _same_company(actor, company, payslip)
    if payslip.run.state not in sel.RELEASED:
        raise ValidationFailed(
            _("Payslips are sent once the run is approved."), code="run_not_approved"
        )
    address = _address(payslip)
    if not address:
        raise ValidationFailed(
            _("%(name)s has no e-mail address.") % {"name": payslip.employee.full_name},
            code="no_email",
        )
    now = timezone.now()
    Payslip.objects.filter(pk=payslip.pk).update(emailed_at=now)
    payslip.emailed_at = now
    audit_record(
        event_type="PAYSLIP_EMAILED", actor=actor, company=company, target=payslip,
        after={"period": f"{payslip.run.month:02d}/{payslip.run.year}", "to": address},
    )  # fmt: skip
    pk = payslip.pk
    transaction.on_commit(lambda: _send(pk, address))
    return payslip


def _send(payslip_pk: int, address: str) -> None:
    """Build the PDF and send it (after the commit; the worker when a job)."""
    from django.core.mail import EmailMessage

    from backoffice.payroll.documents import payslip_filename, payslip_pdf_bytes

    payslip = Payslip.objects.select_related("run", "employee", "company", "department").get(
        pk=payslip_pk
    )
    view = sel.payslip_view(payslip)
    company = payslip.company
    body = (
        f"Kính gửi {view.employee.get('name', '')},\n\n"
        f"{company.name} gửi anh/chị phiếu lương tháng {view.period} (tệp PDF đính kèm).\n"
        "Phiếu lương là thông tin bảo mật; vui lòng không chuyển tiếp.\n"
        "Mọi thắc mắc xin liên hệ bộ phận tiền lương.\n"
    )
    message = EmailMessage(
        subject=f"Phiếu lương tháng {view.period} — {company.name}", body=body, to=[address]
    )
    message.attach(payslip_filename(view), payslip_pdf_bytes(view, company), "application/pdf")
    message.send(fail_silently=False)


def run_payslips_email(*, actor: Any, company: Any, run: PayrollRun) -> Any:
    """Queue the job that e-mails every payslip of ``run``; returns the Job."""
    from backoffice.core.jobs import job_enqueue

    require_perm(actor, "payroll.manage_run")
    if run.company_id != company.pk:
        raise NotFound(_("%(what)s not found.") % {"what": _("Payroll run")})
    if run.state not in sel.RELEASED:
        raise ValidationFailed(
            _("Payslips are sent once the run is approved."), code="run_not_approved"
        )
    return job_enqueue(
        actor=actor, company=company, kind=EMAIL_JOB, params={"run": str(run.public_id)}
    )


def email_payslips_job(*, progress: Any, company: Any, actor: Any, run: str) -> dict[str, Any]:
    """The job: one e-mail per payslip with an address; returns the counts."""
    if actor is None:
        raise PermissionDenied(_("You do not have permission to do this."))
    actor.active_company = company
    actor.__dict__.pop("_company_perm_cache", None)
    target = PayrollRun.objects.filter(company=company, public_id=run).first()
    if target is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Payroll run")})
    payslips = list(
        Payslip.objects.filter(run=target).select_related("run", "employee", "employee__user")
    )
    sent, skipped = 0, []
    progress.update(0, len(payslips))
    for i, payslip in enumerate(payslips, start=1):
        if _address(payslip):
            payslip_email(actor=actor, company=company, payslip=payslip)
            sent += 1
        else:
            skipped.append(payslip.employee.code)
        if i % 50 == 0:
            progress.update(i, len(payslips))
    progress.update(len(payslips), len(payslips))
    return {"sent": sent, "skipped": skipped}

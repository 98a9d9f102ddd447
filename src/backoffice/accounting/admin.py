"""Desk screens of the general ledger. Every write goes through
``accounting.services`` (or ``accounting.closing``); these classes only turn
forms into service calls and service errors into form errors.

Object actions (post, reverse, print) are changelist actions: the buttons on
an entry's page submit the same action for that one entry, so there is one
code path and one permission check for each of them.
"""

from __future__ import annotations

import io
import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.decorators import action, display

from backoffice.accounting.models import (
    Account,
    Entry,
    EntryState,
    ExchangeRate,
    FiscalYear,
    Journal,
    Line,
    Period,
    PeriodState,
)
from backoffice.core.admin import ServiceFormAdmin, _adopt
from backoffice.core.admin_base import CompanyScopedAdmin
from backoffice.core.exceptions import ApplicationError
from backoffice.core.money import format_vnd
from backoffice.core.selectors import scope_to_company

# Largest CSV accepted from the desk for a synchronous import (accounts, rates).
MAX_SMALL_UPLOAD = 5 * 1024 * 1024
# Journal imports run as a background job; the file waits in BACKOFFICE_HOME.
MAX_JOURNAL_UPLOAD = 200 * 1024 * 1024


def _services():
    from backoffice.accounting import services

    return services


def _perm(codename: str):
    """``has_<x>_permission`` from a permission string (unfold looks methods up)."""

    def check(self, request, obj=None):
        return request.user.has_perm(codename)

    return check


def _csv_text(upload) -> io.StringIO:
    """An uploaded CSV as text: UTF-8 (with or without BOM), as Excel saves it."""
    raw = upload.read()
    try:
        return io.StringIO(raw.decode("utf-8-sig"), newline="")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not UTF-8 text (save it as CSV UTF-8).")) from exc


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def __init__(self, *args, max_size: int = MAX_SMALL_UPLOAD, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_size = max_size

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_size:
            raise ValidationError(
                _("The file is too large (at most %(mb)d MB).") % {"mb": self.max_size // 2**20}
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise ValidationError(_("Upload a .csv file."))
        return upload


def _import_page(model_admin, request, *, title, help_text, header, run, max_size=MAX_SMALL_UPLOAD):
    """The upload page shared by the CSV imports; ``run(upload)`` returns a response."""
    form = CsvUploadForm(request.POST or None, request.FILES or None, max_size=max_size)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            return run(form.cleaned_data["file"])
        except ValidationError as exc:
            errors = list(exc.messages)
        except ApplicationError as exc:
            rows = _row_errors(exc)
            errors = (
                [
                    gettext("Nothing was imported. Correct these rows and upload the file again:"),
                    *rows,
                ]
                if rows
                else [exc.message]
            )
    return render(
        request,
        "admin/accounting/import_form.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": title,
            "help_text": help_text,
            "header": header,
            "form": form,
            "errors": errors,
        },
    )


def _row_errors(exc: ApplicationError) -> list[str]:
    """The per-row errors an import service puts in ``extra["errors"]``."""
    out = []
    for err in exc.extra.get("errors", []) if isinstance(exc.extra, dict) else []:
        if isinstance(err, dict):
            row = err.get("row")
            text = err.get("message") or err.get("msg") or ""
            out.append(gettext("Row %(row)s: %(msg)s") % {"row": row, "msg": text} if row else text)
        else:
            out.append(str(err))
    return out


# --- chart of accounts ------------------------------------------------------------------


class AccountForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ["code", "name", "name_en", "type", "parent", "tag"]
        help_texts = {
            "code": _("A sub-account extends its parent's number, e.g. 1121.VCB under 1121."),
        }


@admin.register(Account)
class AccountAdmin(ServiceFormAdmin):
    form = AccountForm
    list_display = ["code", "name", "type", "parent_code", "is_postable", "is_active"]
    list_display_links = ["code", "name"]
    search_fields = ["code", "name", "name_en"]
    list_filter = ["type", "is_postable", "is_active"]
    ordering = ["code"]
    fields = ["code", "name", "name_en", "type", "parent", "tag"]
    readonly_fields: list[str] = []
    actions_list = ["import_chart"]
    list_per_page = 100

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    @display(description=_("parent account"), ordering="parent__code")
    def parent_code(self, obj):
        return obj.parent.code if obj.parent_id else ""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent":
            formfield.queryset = formfield.queryset.order_by("code")
        return formfield

    # Accounts are never deleted (their lines keep them); they are deactivated.
    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The chart is changed by adding sub-accounts; an existing account is read-only
        # unless the ledger services offer a rename.
        return obj is None and request.user.has_perm("accounting.change_account")

    has_import_permission = _perm("accounting.add_account")

    def save_form_via_service(self, request, form, change):
        data = form.cleaned_data
        return _services().account_create(
            actor=request.user,
            company=request.company,
            code=data["code"],
            name=data["name"],
            name_en=data.get("name_en") or "",
            type=data["type"],
            parent=data.get("parent"),
            tag=data.get("tag") or "",
        )

    @action(
        description=_("Import chart (CSV)"),
        icon="upload_file",
        url_path="import",
        permissions=["import"],
    )
    def import_chart(self, request):
        def run(upload):
            count = _services().accounts_import(
                actor=request.user, company=request.company, rows=_csv_text(upload)
            )
            messages.success(request, _("%(n)d accounts imported.") % {"n": count})
            return HttpResponseRedirect(reverse("admin:accounting_account_changelist"))

        return _import_page(
            self,
            request,
            title=_("Import chart of accounts"),
            help_text=_(
                "One account per row; type is asset, liability, equity, income or expense; "
                "parent is the parent account's number (optional). All rows are imported, "
                "or none."
            ),
            header="code,name,type,parent",
            run=run,
        )


# --- journals ---------------------------------------------------------------------------


@admin.register(Journal)
class JournalAdmin(CompanyScopedAdmin):
    list_display = ["code", "name", "kind", "default_voucher_type", "is_active"]
    list_display_links = ["code", "name"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    fields = ["code", "name", "kind", "default_voucher_type", "is_active"]
    readonly_fields = fields

    # Journals come with the books (books_create); they are read here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- fiscal years and periods -----------------------------------------------------------


class FiscalYearForm(forms.ModelForm):
    class Meta:
        model = FiscalYear
        fields = ["start"]
        help_texts = {"start": _("First day of the year; twelve monthly periods are created.")}


class PeriodInline(TabularInline):
    model = Period
    fields = ["number", "start", "end", "state"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FiscalYear)
class FiscalYearAdmin(ServiceFormAdmin):
    form = FiscalYearForm
    list_display = ["name", "start", "end"]
    ordering = ["-start"]
    inlines = [PeriodInline]

    def get_fields(self, request, obj=None):
        return ["start"] if obj is None else ["name", "start", "end"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["name", "start", "end"]

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.has_perm("accounting.add_fiscalyear")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_form_via_service(self, request, form, change):
        return _services().fiscal_year_create(
            actor=request.user, company=request.company, start=form.cleaned_data["start"]
        )


@admin.register(Period)
class PeriodAdmin(CompanyScopedAdmin):
    list_display = ["__str__", "fiscal_year", "start", "end", "state_badge"]
    list_filter = ["state", "fiscal_year"]
    ordering = ["-start"]
    fields = ["fiscal_year", "number", "start", "end", "state", "close_acknowledgements"]
    readonly_fields = fields
    actions = ["close_periods", "reopen_periods", "lock_periods", "unlock_periods", "run_close"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("fiscal_year")

    @display(
        description=_("state"),
        label={
            PeriodState.OPEN: "success",
            PeriodState.CLOSED: "warning",
            PeriodState.LOCKED: "danger",
        },
    )
    def state_badge(self, obj):
        return obj.state, obj.get_state_display()

    def has_add_permission(self, request):
        return False  # periods come with their fiscal year

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    has_close_permission = _perm("accounting.close_period")
    has_lock_permission = _perm("accounting.lock_period")

    def _set_state(self, request, queryset, state, done):
        changed = 0
        for period in queryset.order_by("start"):
            try:
                _services().period_set_state(actor=request.user, period=period, state=state)
                changed += 1
            except ApplicationError as exc:
                messages.error(request, f"{period}: {exc.message}")
        if changed:
            messages.success(request, done % {"n": changed})

    @action(description=_("Close (chief accountant only may post)"), permissions=["close"])
    def close_periods(self, request, queryset):
        self._set_state(request, queryset, PeriodState.CLOSED, _("%(n)d periods closed."))

    @action(description=_("Reopen"), permissions=["close"])
    def reopen_periods(self, request, queryset):
        self._set_state(request, queryset, PeriodState.OPEN, _("%(n)d periods reopened."))

    @action(description=_("Lock (nobody may post)"), permissions=["lock"])
    def lock_periods(self, request, queryset):
        self._set_state(request, queryset, PeriodState.LOCKED, _("%(n)d periods locked."))

    @action(description=_("Unlock (back to closed)"), permissions=["lock"])
    def unlock_periods(self, request, queryset):
        self._set_state(request, queryset, PeriodState.CLOSED, _("%(n)d periods unlocked."))

    @action(description=_("Run the period close (to 911 and 421)"), permissions=["close"])
    def run_close(self, request, queryset):
        """The pre-close checklist first; the close runs once it is clean or acknowledged."""
        from backoffice.accounting import closing

        if queryset.count() != 1:
            messages.error(request, _("Choose exactly one period to close."))
            return None
        period = queryset.get()
        try:
            checklist = closing.close_checklist(period=period)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return None
        if request.POST.get("apply"):
            acknowledge = tuple(request.POST.getlist("acknowledge"))
            try:
                closing.period_close(actor=request.user, period=period, acknowledge=acknowledge)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Period %(p)s closed.") % {"p": period})
                return None
        return render(
            request,
            "admin/accounting/period_close.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Close period %(p)s") % {"p": period},
                "period": period,
                "checklist": checklist,
                "action_name": "run_close",
            },
        )


# --- entries (vouchers) -----------------------------------------------------------------


class LineForm(forms.ModelForm):
    class Meta:
        model = Line
        fields = ["account", "description", "debit", "credit", "amount_currency", "department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("debit", "credit"):
            self.fields[name].required = False
            self.fields[name].initial = None
        self.fields["amount_currency"].required = False
        self.fields["amount_currency"].initial = None
        self.fields["amount_currency"].help_text = _("Only for entries in a foreign currency.")

    def clean(self):
        data = super().clean()
        debit = data.get("debit") or Decimal(0)
        credit = data.get("credit") or Decimal(0)
        data["debit"], data["credit"] = debit, credit
        if debit < 0 or credit < 0:
            raise ValidationError(_("Amounts cannot be negative."))
        if bool(debit) == bool(credit) and data.get("account") and not data.get("DELETE"):
            raise ValidationError(_("Enter either a debit or a credit on each line."))
        return data

    def validate_constraints(self, exclude=None):
        """The line's checks are the form's (above) and the service's."""

    def _post_clean(self):
        # The instance is built by the service; skip the model's own validation of a
        # line that has no company, date or period yet.
        pass


class LineFormSet(forms.BaseInlineFormSet):
    """The lines and the entry form are saved together by one service call; its dry
    run here puts business errors (unbalanced, closed period ...) on the page."""

    request = None
    model_admin = None

    def line_inputs(self):
        services = _services()
        out = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not data.get("account"):
                continue
            out.append(
                services.LineInput(
                    account=data["account"],
                    debit=data.get("debit") or Decimal(0),
                    credit=data.get("credit") or Decimal(0),
                    description=data.get("description") or "",
                    amount_currency=data.get("amount_currency"),
                    department=data.get("department"),
                )
            )
        return out

    def clean(self):
        super().clean()
        if any(self.errors) or not getattr(self.request, "_bo_entry_form_valid", False):
            return  # the entry form's own errors come first
        try:
            with transaction.atomic():
                self.model_admin.save_entry(
                    self.request, self.instance, self.line_inputs(), post=_wants_post(self.request)
                )
                transaction.set_rollback(True)
        except ApplicationError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc


class LineInline(TabularInline):
    model = Line
    form = LineForm
    formset = LineFormSet
    fk_name = "entry"
    hide_title = True  # a line's own label says nothing the row does not show
    fields = ["account", "description", "debit", "credit", "amount_currency", "department"]
    extra = 2
    min_num = 0
    ordering = ["position"]
    verbose_name = _("line")
    verbose_name_plural = _("lines (Nợ / Có)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account", "department")

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None else 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        formset.model_admin = self.admin_site._registry[Entry]
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        company = getattr(request, "company", None)
        if db_field.name == "account":
            kwargs["queryset"] = scope_to_company(
                Account.objects.filter(is_postable=True, is_active=True), company
            ).order_by("code")
        elif db_field.name == "department":
            from backoffice.core.models import Department

            kwargs["queryset"] = scope_to_company(Department.objects.all(), company)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return _is_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return _is_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_editable(request, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounting.view_entry")


def _wants_post(request) -> bool:
    """ "Save and post" pressed by someone who may post."""
    return "_post" in request.POST and request.user.has_perm("accounting.post_entry")


def _is_editable(request, entry) -> bool:
    if not request.user.has_perm("accounting.add_entry"):
        return False
    return entry is None or entry.state == EntryState.DRAFT


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = [
            "date",
            "journal",
            "voucher_type",
            "description",
            "partner",
            "reference",
            "currency",
            "rate",
        ]
        help_texts = {
            "currency": _("Empty: the company currency."),
            "rate": _("Company currency per unit; empty: the rate of the day."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "journal" not in self.fields:
            return  # a posted entry: every field is read-only
        self.fields["currency"].required = False
        self.fields["rate"].required = False
        self.fields["rate"].initial = None
        self.fields["journal"].required = False
        self.fields["journal"].help_text = _("Empty: the general journal.")

    def _post_clean(self):
        # Validated by the entry service (with the lines), not by the model.
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields)


def _attachments_inline():
    """The records app's attachments, when that app provides them."""
    try:
        from backoffice.records.admin import AttachmentsInline
    except ImportError:
        return None
    return AttachmentsInline


@admin.register(Entry)
class EntryAdmin(CompanyScopedAdmin):
    form = EntryForm
    change_form_template = "admin/accounting/entry_change_form.html"
    list_display = [
        "number_or_draft",
        "date",
        "journal_code",
        "voucher_type",
        "description",
        "amount",
        "state_badge",
    ]
    list_display_links = ["number_or_draft", "description"]
    list_filter = ["state", "journal", "voucher_type", "source", "period"]
    search_fields = ["number", "description", "partner", "reference"]
    date_hierarchy = "date"
    ordering = ["-date", "-id"]
    inlines = [LineInline]
    actions = [
        "post_entries",
        "submit_entries",
        "reverse_entries",
        "print_vouchers",
        "delete_selected",
    ]
    actions_list = ["import_journal"]
    readonly_fields = [
        "number",
        "state",
        "source",
        "amount",
        "reversal_link",
        "created_by",
        "posted_by",
        "posted_at",
    ]

    def get_queryset(self, request):
        # company: the amount column formats in the company's currency.
        return (
            super()
            .get_queryset(request)
            .select_related("journal", "company", "period", "created_by", "reversal_of")
        )

    # --- list columns

    @display(description=_("number"), ordering="number")
    def number_or_draft(self, obj):
        return obj.number or gettext("(draft)")

    @display(description=_("journal"), ordering="journal__code")
    def journal_code(self, obj):
        return obj.journal.code

    @display(description=_("amount"), ordering="total")
    def amount(self, obj):
        total = obj.total
        if not total and obj.pk and obj.state != EntryState.POSTED:
            total = sum((ln.debit for ln in obj.lines.all()), Decimal(0))
        text = format_vnd(total, obj.company.currency if obj.company_id else "VND")
        return text.replace(" ", "\u00a0")  # the symbol stays with its figure

    @display(
        description=_("state"),
        label={
            EntryState.DRAFT: "info",
            EntryState.PENDING: "warning",
            EntryState.POSTED: "success",
        },
    )
    def state_badge(self, obj):
        return obj.state, obj.get_state_display()

    @display(description=_("reversal"))
    def reversal_link(self, obj):
        other = obj.reversal_of or getattr(obj, "reversed_by", None)
        if other is None:
            return "-"
        url = reverse("admin:accounting_entry_change", args=[other.pk])
        label = gettext("reverses %(n)s") if obj.reversal_of_id else gettext("reversed by %(n)s")
        return format_html('<a href="{}">{}</a>', url, label % {"n": other})

    # --- the form

    def get_fields(self, request, obj=None):
        base = list(EntryForm.Meta.fields)
        if obj is None:
            return base
        return [*base, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if not _is_editable(request, obj):
            return [*EntryForm.Meta.fields, *self.readonly_fields]
        return self.readonly_fields

    def get_inlines(self, request, obj):
        inlines = [LineInline]
        extra = _attachments_inline()
        if extra is not None and obj is not None:
            inlines.append(extra)
        return inlines

    def get_changeform_initial_data(self, request):
        from django.utils import timezone

        initial = super().get_changeform_initial_data(request)
        initial.setdefault("date", timezone.localdate())
        if request.company is not None:
            initial.setdefault("currency", request.company.currency)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "journal":
            formfield.queryset = formfield.queryset.filter(is_active=True).order_by("code")
        return formfield

    def has_add_permission(self, request):
        return request.user.has_perm("accounting.add_entry")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.state != EntryState.DRAFT:
            return False  # posted entries are immutable: correct them by reversal
        return request.user.has_perm("accounting.add_entry")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.state != EntryState.DRAFT:
            return False
        return request.user.has_perm("accounting.delete_entry")

    has_post_permission = _perm("accounting.post_entry")
    has_reverse_permission = _perm("accounting.reverse_entry")
    has_import_permission = _perm("accounting.add_entry")

    def save_entry(self, request, entry, lines, post=False):
        """One service call for the entry and its lines (create or update a draft)."""
        services = _services()
        fields = {
            "date": entry.date,
            "description": entry.description,
            "journal": entry.journal if entry.journal_id else None,
            "voucher_type": entry.voucher_type or None,
            "currency": entry.currency or None,
            "rate": entry.rate or None,
            "reference": entry.reference or "",
            "partner": entry.partner or "",
            "lines": lines,
        }
        if entry.pk:
            original = Entry.objects.get(pk=entry.pk, company=request.company)
            saved = services.entry_update(actor=request.user, entry=original, **fields)
            if post:
                saved = services.entry_post(actor=request.user, entry=saved)
            return saved
        return services.entry_create(
            actor=request.user, company=request.company, post=post, **fields
        )

    def save_form(self, request, form, change):
        request._bo_entry_form_valid = True  # called only for a valid form
        return super().save_form(request, form, change)

    def save_model(self, request, obj, form, change):
        """Nothing here: the entry is saved with its lines in ``save_related``."""

    def response_add(self, request, obj, post_url_continue=None):
        if "_post" in request.POST:
            return HttpResponseRedirect(reverse("admin:accounting_entry_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_post" in request.POST:
            return HttpResponseRedirect(reverse("admin:accounting_entry_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def save_related(self, request, form, formsets, change):
        line_formset = next(fs for fs in formsets if isinstance(fs, LineFormSet))
        post = _wants_post(request)
        saved = self.save_entry(request, form.instance, line_formset.line_inputs(), post=post)
        _adopt(form.instance, saved)
        for formset in formsets:
            # The lines were written by the service; the change message reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset is not line_formset:
                formset.instance = saved
                formset.save()
        if post:
            messages.success(request, _("Entry posted as %(n)s.") % {"n": saved.number})

    def delete_model(self, request, obj):
        try:
            _services().entry_delete(actor=request.user, entry=obj)
        except ApplicationError as exc:
            messages.error(request, exc.message)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        may_post = request.user.has_perm("accounting.post_entry")
        context.update(
            {
                "entry": obj,
                "can_post": may_post and (obj is None or obj.state == EntryState.DRAFT),
                "can_submit": obj is not None
                and obj.state == EntryState.DRAFT
                and request.user.has_perm("accounting.add_entry"),
                "save_and_post": may_post and _is_editable(request, obj),
                "can_reverse": obj is not None
                and obj.state == EntryState.POSTED
                and not hasattr(obj, "reversed_by")
                and obj.reversal_of_id is None
                and request.user.has_perm("accounting.reverse_entry"),
                "changelist_url": reverse("admin:accounting_entry_changelist"),
            }
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- actions

    @action(description=_("Post"), permissions=["post"], icon="task_alt")
    def post_entries(self, request, queryset):
        posted = []
        for entry in queryset.filter(state=EntryState.DRAFT).order_by("date", "id"):
            try:
                posted.append(_services().entry_post(actor=request.user, entry=entry).number)
            except ApplicationError as exc:
                messages.error(request, f"{entry}: {exc.message}")
        if posted:
            messages.success(request, _("Posted: %(numbers)s.") % {"numbers": ", ".join(posted)})
        return self._back_to_entry(request, queryset)

    @action(description=_("Send for approval"), permissions=["add"], icon="approval")
    def submit_entries(self, request, queryset):
        """Drafts go to the company's "Journal entry" approval policy; posted when approved."""
        from backoffice.accounting.approvals import entry_submit

        sent = []
        for entry in queryset.filter(state=EntryState.DRAFT).order_by("date", "id"):
            try:
                sent.append(str(entry_submit(actor=request.user, entry=entry)))
            except ApplicationError as exc:
                messages.error(request, f"{entry}: {exc.message}")
        if sent:
            messages.success(request, _("Sent for approval: %(n)s.") % {"n": len(sent)})
        return self._back_to_entry(request, queryset)

    @action(description=_("Reverse"), permissions=["reverse"], icon="undo")
    def reverse_entries(self, request, queryset):
        """Asks for the reversal date first (default: the original date)."""
        entries = list(queryset.filter(state=EntryState.POSTED).order_by("date", "id"))
        if not entries:
            messages.error(request, _("Only posted entries can be reversed."))
            return None
        form = ReverseForm(request.POST if request.POST.get("apply") else None)
        if request.POST.get("apply") and form.is_valid():
            done = []
            for entry in entries:
                try:
                    rev = _services().entry_reverse(
                        actor=request.user,
                        entry=entry,
                        date=form.cleaned_data.get("date"),
                        description=form.cleaned_data.get("description") or None,
                    )
                    done.append(f"{entry.number} → {rev.number}")
                except ApplicationError as exc:
                    messages.error(request, f"{entry}: {exc.message}")
            if done:
                messages.success(request, _("Reversed: %(list)s.") % {"list": "; ".join(done)})
                if len(entries) == 1 and len(done) == 1:
                    return HttpResponseRedirect(
                        reverse("admin:accounting_entry_change", args=[rev.pk])
                    )
            return None
        return render(
            request,
            "admin/accounting/reverse_confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Reverse entries"),
                "entries": entries,
                "form": form,
                "action_name": "reverse_entries",
            },
        )

    @action(description=_("Print voucher (PDF)"), icon="print")
    def print_vouchers(self, request, queryset):
        from backoffice.accounting.voucher import vouchers_pdf

        entries = list(queryset.order_by("date", "id")[:500])
        pdf = vouchers_pdf(entries)
        name = (entries[0].number or f"draft-{entries[0].pk}") if len(entries) == 1 else "vouchers"
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response

    def _back_to_entry(self, request, queryset):
        if queryset.count() == 1:
            return HttpResponseRedirect(
                reverse("admin:accounting_entry_change", args=[queryset.get().pk])
            )
        return None

    @action(
        description=_("Import entries (CSV)"),
        icon="upload_file",
        url_path="import",
        permissions=["import"],
    )
    def import_journal(self, request):
        """The file is stored in BACKOFFICE_HOME and imported by a background job
        with progress; the job page lists the errors with their row numbers."""
        from backoffice.core.jobs import job_enqueue

        def run(upload):
            folder = settings.HOME / "imports"
            folder.mkdir(exist_ok=True)
            path = folder / f"journal-{uuid.uuid4().hex}.csv"
            with path.open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            try:
                job = job_enqueue(
                    actor=request.user,
                    company=request.company,
                    kind=JOURNAL_IMPORT_JOB,
                    params={"path": str(path), "filename": upload.name[:200]},
                )
            except ApplicationError:
                path.unlink(missing_ok=True)
                raise
            messages.success(request, _("Import started; its progress shows below."))
            return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))

        return _import_page(
            self,
            request,
            title=_("Import journal entries"),
            help_text=_(
                "Rows sharing the same entry value form one entry; dates are ISO 8601 "
                "(2026-01-31), amounts plain decimals (1234567.00); journal and currency may "
                "be empty. The entries are posted; if any row is wrong nothing is imported "
                "and every error is listed with its row number."
            ),
            header="entry,date,journal,description,account,debit,credit,currency",
            run=run,
            max_size=MAX_JOURNAL_UPLOAD,
        )


class ReverseForm(forms.Form):
    date = forms.DateField(
        label=_("reversal date"), required=False, help_text=_("Empty: the original date.")
    )
    description = forms.CharField(label=_("description"), required=False, max_length=500)


# --- the journal import job -------------------------------------------------------------

JOURNAL_IMPORT_JOB = "accounting.journal_import"


def _register_job() -> None:
    from django.utils.translation import gettext_lazy

    from backoffice.core.jobs import job_kind

    @job_kind(
        JOURNAL_IMPORT_JOB,
        permission="accounting.add_entry",
        label=gettext_lazy("Journal entry import"),
    )
    def journal_import_job(*, progress, company, actor, path: str, filename: str = ""):
        from pathlib import Path

        from backoffice.core.exceptions import ValidationFailed

        if actor is not None:
            # The person who started the job acts in the job's company, with the
            # roles they hold there (checked again by the service).
            actor.active_company = company
        file = Path(path)
        if file.parent != settings.HOME / "imports":
            raise ValidationFailed(gettext("The import file is not in the imports folder."))
        try:
            with file.open(encoding="utf-8-sig", newline="") as fh:
                try:
                    result = _services().journal_import(
                        actor=actor, company=company, file=fh, progress=progress
                    )
                except ApplicationError as exc:
                    rows = _row_errors(exc)
                    if len(rows) > 10:  # the message names the first ten
                        exc.message = "\n".join([exc.message, *rows[10:50]])
                    raise
                except UnicodeDecodeError as exc:
                    raise ValidationFailed(
                        gettext("The file is not UTF-8 text (save it as CSV UTF-8).")
                    ) from exc
        finally:
            file.unlink(missing_ok=True)
        return {
            "file": filename,
            "entries": getattr(result, "entries", 0),
            "lines": getattr(result, "lines", 0),
        }


_register_job()


# --- exchange rates ---------------------------------------------------------------------


class ExchangeRateForm(forms.ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "date", "rate"]

    def _post_clean(self):
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ServiceFormAdmin):
    form = ExchangeRateForm
    list_display = ["currency", "date", "rate"]
    list_filter = ["currency"]
    search_fields = ["currency"]
    date_hierarchy = "date"
    ordering = ["currency", "-date"]
    fields = ["currency", "date", "rate"]
    actions_list = ["import_rates"]

    def has_add_permission(self, request):
        return request.user.has_perm("accounting.add_exchangerate")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("accounting.change_exchangerate")

    def has_delete_permission(self, request, obj=None):
        return False

    has_import_permission = _perm("accounting.add_exchangerate")

    def save_form_via_service(self, request, form, change):
        data = form.cleaned_data
        return _services().rate_set(
            actor=request.user,
            company=request.company,
            currency=data["currency"].upper(),
            date=data["date"],
            rate=data["rate"],
        )

    @action(
        description=_("Import rates (CSV)"),
        icon="upload_file",
        url_path="import",
        permissions=["import"],
    )
    def import_rates(self, request):
        def run(upload):
            count = _services().rates_import(
                actor=request.user, company=request.company, file=_csv_text(upload)
            )
            messages.success(request, _("%(n)d rates imported.") % {"n": count})
            return HttpResponseRedirect(reverse("admin:accounting_exchangerate_changelist"))

        return _import_page(
            self,
            request,
            title=_("Import exchange rates"),
            help_text=_("One rate per row: company currency per unit of the currency."),
            header="currency,date,rate",
            run=run,
        )

"""Desk pages of job postings (namespace ``recruitment``, under
/desk/recruitment/postings/): the list (filter by state), "new posting"
(``?requisition=<id>`` prefills it from an approved requisition), and a
posting's page (edit the Vietnamese and English text, province, salary or
"negotiable", deadline and the screening requirements; publish, close; links
to its pipeline board and its public page).

Who: ``recruitment.manage_posting`` or ``recruitment.view_requisition`` see
the company's postings, a hiring manager those of their requisitions;
``recruitment.manage_posting`` writes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.exceptions import ApplicationError, NotFound
from backoffice.core.models import Department
from backoffice.core.request_context import request_company
from backoffice.recruitment.enums import EducationLevel, EmploymentType, PostingState
from backoffice.recruitment.selectors import postings as sel
from backoffice.recruitment.selectors.requisitions import requisition_get_for_user
from backoffice.recruitment.services import postings as svc
from backoffice.recruitment.views.requisitions import DATE, ctx, denied, not_found, style

T = "recruitment/postings/"
LINES = gettext_lazy("One per line.")


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def province_choices() -> list[tuple[str, str]]:
    from backoffice.hr.services.employees_validation import province_choices as provinces

    return [("", "—"), *provinces()]


def province_label(code: str) -> str:
    from backoffice.hr.services.employees_validation import province_name

    return province_name(code)


class PostingForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("title (Vietnamese)"), max_length=200)
    title_en = forms.CharField(label=gettext_lazy("title (English)"), max_length=200,
                               required=False)  # fmt: skip
    description = forms.CharField(label=gettext_lazy("description (Vietnamese)"),
                                  widget=forms.Textarea(attrs={"rows": 6}), required=False)  # fmt: skip
    description_en = forms.CharField(label=gettext_lazy("description (English)"),
                                     widget=forms.Textarea(attrs={"rows": 6}), required=False)  # fmt: skip
    requirements_text = forms.CharField(label=gettext_lazy("requirements (Vietnamese)"),
                                        widget=forms.Textarea(attrs={"rows": 4}), required=False)  # fmt: skip
    requirements_text_en = forms.CharField(label=gettext_lazy("requirements (English)"),
                                           widget=forms.Textarea(attrs={"rows": 4}),
                                           required=False)  # fmt: skip
    benefits = forms.CharField(label=gettext_lazy("benefits (Vietnamese)"),
                               widget=forms.Textarea(attrs={"rows": 3}), required=False)  # fmt: skip
    benefits_en = forms.CharField(label=gettext_lazy("benefits (English)"),
                                  widget=forms.Textarea(attrs={"rows": 3}), required=False)  # fmt: skip
    department = forms.ModelChoiceField(label=gettext_lazy("department"),
                                        queryset=Department.objects.none(), required=False)  # fmt: skip
    province = forms.ChoiceField(label=gettext_lazy("province"), required=False, choices=())
    location = forms.CharField(label=gettext_lazy("work address"), max_length=300, required=False)
    employment_type = forms.ChoiceField(label=gettext_lazy("employment type"),
                                        choices=EmploymentType.choices)  # fmt: skip
    salary_min = forms.DecimalField(label=gettext_lazy("salary from"), required=False,
                                    decimal_places=0, min_value=0, max_digits=15)  # fmt: skip
    salary_max = forms.DecimalField(label=gettext_lazy("salary to"), required=False,
                                    decimal_places=0, min_value=0, max_digits=15)  # fmt: skip
    salary_negotiable = forms.BooleanField(label=gettext_lazy("salary negotiable (thỏa thuận)"),
                                           required=False)  # fmt: skip
    openings = forms.IntegerField(label=gettext_lazy("openings"), min_value=1, max_value=999,
                                  initial=1)  # fmt: skip
    deadline = forms.DateField(label=gettext_lazy("apply by"), required=False, widget=DATE)
    skills = forms.CharField(
        label=gettext_lazy("required skills"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy('One per line; synonyms separated by "|" (SQL|PostgreSQL).'),
    )  # fmt: skip
    min_years = forms.IntegerField(label=gettext_lazy("minimum years of experience"),
                                   min_value=0, max_value=50, required=False, initial=0)  # fmt: skip
    education = forms.ChoiceField(label=gettext_lazy("minimum education"), required=False,
                                  choices=EducationLevel.choices)  # fmt: skip
    languages = forms.CharField(label=gettext_lazy("languages"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}), help_text=LINES)  # fmt: skip
    scorecard_criteria = forms.CharField(label=gettext_lazy("interview criteria"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}),
                                         help_text=LINES)  # fmt: skip

    def __init__(self, *args: Any, company: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(company=company)
        self.fields["province"].choices = province_choices()
        style(self)

    def service_fields(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d["requirements"] = {
            "skills": _lines(d.pop("skills", "")),
            "min_years": d.pop("min_years", None) or 0,
            "education": d.pop("education", "") or "",
            "languages": _lines(d.pop("languages", "")),
        }
        d["scorecard_criteria"] = _lines(d.get("scorecard_criteria", ""))
        return d


def _initial(p: Any) -> dict[str, Any]:
    data = {f: getattr(p, f) for f in svc.FIELDS if f not in ("requirements", "scorecard_criteria")}
    req = p.requirements or {}
    data.update(
        skills="\n".join(req.get("skills") or []), min_years=req.get("min_years") or 0,
        education=req.get("education") or "", languages="\n".join(req.get("languages") or []),
        scorecard_criteria="\n".join(p.scorecard_criteria or []),
    )  # fmt: skip
    return data


def _may_see(request: HttpRequest) -> bool:
    return sel.may_see_postings(request.user)


def _list(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if company is None:
        return denied(request)
    rows = sel.posting_list(user=request.user, company=company,
                            state=request.GET.get("state", ""))  # fmt: skip
    if not _may_see(request) and not rows.exists():
        return denied(request)
    return render(request, T + "list.html", ctx(
        request, title=_("Job postings"), rows=rows[:300], states=PostingState.choices,
        state=request.GET.get("state", ""), may_manage=request.user.has_perm(svc.MANAGE),
    ))  # fmt: skip


def _new(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    user = request.user
    if company is None or not user.has_perm(svc.MANAGE):
        return denied(request)
    requisition = None
    rid = request.GET.get("requisition") or request.POST.get("requisition") or ""
    if rid:
        try:
            requisition = requisition_get_for_user(user=user, company=company, public_id=rid)
        except NotFound:
            return not_found(request, _("Job requisition"))
    initial = svc.prefill_from(requisition) if requisition else {}
    form = PostingForm(request.POST or None, company=company, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            posting = svc.posting_create(
                actor=user, company=company, requisition=requisition, **form.service_fields()
            )
            messages.success(request, _("The job posting was created as a draft."))
            return HttpResponseRedirect(
                reverse("recruitment:posting_detail", args=[posting.public_id])
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    return render(request, T + "form.html", ctx(
        request, title=_("New job posting"), form=form, requisition=requisition,
        back=reverse("recruitment:postings"),
    ))  # fmt: skip


def _links(posting: Any) -> dict[str, str]:
    out = {}
    for key, name, args in (
        ("board", "recruitment:board", [posting.public_id]),
        ("public", "careers:posting", [posting.company.code, posting.slug]),
    ):
        try:
            out[key] = reverse(name, args=args)
        except NoReverseMatch:
            out[key] = ""
    return out


def _detail(request: HttpRequest, pk: Any) -> HttpResponse:
    company = request_company(request)
    user = request.user
    try:
        posting = sel.posting_get_for_user(user=user, company=company, public_id=pk)
    except NotFound:
        return not_found(request, _("Job posting"))
    may_manage = user.has_perm(svc.MANAGE)
    op = request.POST.get("op") if request.method == "POST" else None
    form = PostingForm(request.POST if op == "save" else None, company=company,
                       initial=_initial(posting))  # fmt: skip
    if request.method == "POST":
        try:
            if op == "save":
                if form.is_valid():
                    svc.posting_update(actor=user, posting=posting, **form.service_fields())
                    messages.success(request, _("The job posting was saved."))
                    return HttpResponseRedirect(request.path)
            elif op == "publish":
                svc.posting_publish(actor=user, posting=posting)
                messages.success(request, _("The job posting is on the careers page."))
                return HttpResponseRedirect(request.path)
            elif op == "close":
                svc.posting_close(actor=user, posting=posting)
                messages.success(request, _("The job posting was closed."))
                return HttpResponseRedirect(request.path)
            else:
                messages.error(request, _("Unknown action."))
                return HttpResponseRedirect(request.path)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            if op != "save":
                return HttpResponseRedirect(request.path)
    return render(request, T + "detail.html", ctx(
        request, title=posting.title, posting=posting, form=form, may_manage=may_manage,
        editable=may_manage and posting.state != PostingState.CLOSED, S=PostingState,
        province=province_label(posting.province), links=_links(posting),
        requirements=posting.requirements or {},
        education=EducationLevel(posting.requirements.get("education") or "").label
        if (posting.requirements or {}).get("education") in EducationLevel.values else "",
    ))  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("postings/", admin.site.admin_view(_list), name="postings"),
    path("postings/new/", admin.site.admin_view(_new), name="posting_new"),
    path("postings/<uuid:pk>/", admin.site.admin_view(_detail), name="posting_detail"),
]

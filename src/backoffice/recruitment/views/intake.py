"""Desk page "Add candidate" (``recruitment:candidate_add``, under
/desk/recruitment/candidates/add/): staff enter a candidate who did not apply
on the careers page (a referral, a headhunter, a job board) with their CV.
The same path as the public form (``application_submit``): same CV checks,
same duplicate rule (same e-mail: same candidate), the candidate's consent
must have been obtained (the box says so), the candidate receives the
confirmation e-mail with their private status link.

Who: ``recruitment.manage_application`` (HR officer, HR manager).
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

from backoffice.core.exceptions import ApplicationError
from backoffice.core.request_context import request_company
from backoffice.recruitment.enums import PostingState, Source
from backoffice.recruitment.models import JobPosting
from backoffice.recruitment.services import applications as svc

T = "recruitment/careers/"
INPUT = "border rounded-default p-2 bg-white dark:bg-base-900 w-full max-w-xl"
SOURCES = [(s.value, s.label) for s in svc.STAFF_SOURCES]


def _ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), **extra}


def _denied(request: HttpRequest) -> HttpResponse:
    return render(request, T + "desk_message.html", _ctx(
        request, title=_("Access denied"),
        message=_("You do not have permission to open this page."),
    ), status=403)  # fmt: skip


class CandidateForm(forms.Form):
    posting = forms.ModelChoiceField(
        label=gettext_lazy("Job posting"), queryset=JobPosting.objects.none(),
        to_field_name="public_id",
    )  # fmt: skip
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=200)
    email = forms.CharField(label=gettext_lazy("E-mail"), max_length=254)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)
    source = forms.ChoiceField(label=gettext_lazy("Source"), choices=SOURCES)
    source_detail = forms.CharField(
        label=gettext_lazy("Referred by / job board / agency"), max_length=200, required=False
    )
    cv = forms.FileField(label=gettext_lazy("CV (PDF or DOCX)"))
    cover_letter = forms.CharField(
        label=gettext_lazy("Cover letter or note"), required=False, widget=forms.Textarea(
            attrs={"rows": 4})
    )  # fmt: skip
    consent = forms.BooleanField(
        label=gettext_lazy(
            "The candidate agreed to the processing of their personal data for this "
            "recruitment (Decree 13/2023/NĐ-CP)."
        )
    )

    def __init__(self, *args: Any, company: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["posting"]
        field.queryset = JobPosting.objects.filter(  # type: ignore[attr-defined]
            company=company, state=PostingState.PUBLISHED
        ).order_by("title")
        field.label_from_instance = lambda p: p.title  # type: ignore[attr-defined]
        for f in self.fields.values():
            if not isinstance(f.widget, forms.CheckboxInput):
                f.widget.attrs.setdefault("class", INPUT)


def _after(application: Any) -> str:
    try:
        return reverse("recruitment:application_detail", args=[application.public_id])
    except NoReverseMatch:  # the pipeline pages are another area's
        return reverse("recruitment:candidate_add")


def candidate_add_view(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if company is None or not request.user.has_perm(svc.MANAGE):
        return _denied(request)
    initial = {"source": Source.REFERRAL}
    if request.GET.get("posting"):
        initial["posting"] = request.GET["posting"][:64]
    form = CandidateForm(request.POST or None, request.FILES or None, company=company,
                         initial=initial)  # fmt: skip
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                application, _token = svc.application_submit(
                    actor=request.user, company=company, posting=d["posting"],
                    full_name=d["full_name"], email=d["email"], phone=d["phone"],
                    cv_file=d["cv"], cover_letter=d["cover_letter"], consent=d["consent"],
                    source=d["source"], source_detail=d["source_detail"],
                )  # fmt: skip
            except ApplicationError as exc:
                field = exc.extra.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("%(name)s was added to %(job)s.") % {
                    "name": application.candidate.full_name, "job": application.posting.title,
                })  # fmt: skip
                return HttpResponseRedirect(_after(application))
        else:
            status = 400
    return render(request, T + "desk_intake.html", _ctx(
        request, title=_("Add candidate"), form=form,
    ), status=status)  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("candidates/add/", admin.site.admin_view(candidate_add_view), name="candidate_add"),
]

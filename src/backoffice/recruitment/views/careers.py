"""The public careers pages under ``/careers/`` (namespace ``careers``): no
login, Vietnamese by default and English by the language switch, readable on
a phone (the portal's stylesheet plus ``recruitment/careers.css``; no inline
script or style, CSP-safe).

* ``index``: companies with open postings (redirects when there is one);
* ``company``: a company's open postings, with search (with or without
  diacritics) and filters (province, employment type, department);
* ``posting``: one posting, its schema.org ``JobPosting`` JSON-LD (search
  engines) and the application form;
* ``apply`` (POST): rate limit first (a burst stores nothing), honeypot
  field (a filled one: "thank you" and nothing stored), then
  ``services.applications.application_submit``; the answer shows the
  private status link once (it is also e-mailed);
* ``status``: the candidate's application by its private token: status in
  plain words, upcoming interviews, withdraw, renew consent, delete my data.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from backoffice.core.exceptions import ApplicationError, NotFound, RateLimited
from backoffice.core.models import Company
from backoffice.core.ratelimit import client_key
from backoffice.recruitment.enums import ApplicationState, EmploymentType, InterviewState
from backoffice.recruitment.models import Interview, JobPosting
from backoffice.recruitment.selectors.postings import (
    public_companies,
    public_posting_get,
    public_postings,
)
from backoffice.recruitment.services import applications as svc
from backoffice.recruitment.services import retention

log = logging.getLogger("backoffice.recruitment")
T = "recruitment/careers/"
HONEYPOT = "website"
FORM_FIELDS = ("full_name", "email", "phone", "province", "cover_letter")

SCHEMA_TYPES = {
    EmploymentType.FULL_TIME: "FULL_TIME",
    EmploymentType.PART_TIME: "PART_TIME",
    EmploymentType.CONTRACT: "CONTRACTOR",
    EmploymentType.INTERNSHIP: "INTERN",
}


# --- posting text in the page's language ---------------------------------------------------


def _lang() -> str:
    return (translation.get_language() or "vi")[:2]


def _province_name(code: str) -> str:
    from backoffice.hr.services.employees_validation import province_name

    return province_name(code)


def _provinces() -> tuple[tuple[str, str], ...]:
    from backoffice.hr.services.employees_validation import province_choices

    return province_choices()


def posting_text(posting: JobPosting, lang: str | None = None) -> dict[str, Any]:
    """Title and texts in the language (English falls back to Vietnamese)."""
    en = (lang or _lang()) == "en"

    def pick(vi: str, eng: str) -> str:
        return (eng or vi) if en else vi

    negotiable = posting.salary_negotiable or (
        posting.salary_min is None and posting.salary_max is None
    )
    return {
        "title": pick(posting.title, posting.title_en),
        "description": pick(posting.description, posting.description_en),
        "requirements": pick(posting.requirements_text, posting.requirements_text_en),
        "benefits": pick(posting.benefits, posting.benefits_en),
        "province": _province_name(posting.province),
        "type": posting.get_employment_type_display(),
        "negotiable": negotiable,
    }


def job_posting_jsonld(posting: JobPosting, request: HttpRequest | None = None) -> dict[str, Any]:
    """schema.org JobPosting of a posting (in the page's language)."""
    text = posting_text(posting)
    company = posting.company
    url = reverse("careers:posting", args=[company.code, posting.slug])
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": text["title"],
        "description": "\n\n".join(
            t for t in (text["description"], text["requirements"], text["benefits"]) if t
        ) or text["title"],
        "identifier": {"@type": "PropertyValue", "name": company.name, "value": posting.slug},
        "datePosted": timezone.localtime(posting.published_at or posting.created_at)
        .date()
        .isoformat(),
        "employmentType": SCHEMA_TYPES.get(posting.employment_type, "OTHER"),
        "hiringOrganization": {"@type": "Organization", "name": company.name},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressCountry": "VN",
                **({"addressRegion": text["province"]} if text["province"] else {}),
                **({"streetAddress": posting.location} if posting.location else {}),
            },
        },
        "directApply": True,
        "url": request.build_absolute_uri(url) if request is not None else url,
    }  # fmt: skip
    if posting.deadline:
        data["validThrough"] = f"{posting.deadline.isoformat()}T23:59:59+07:00"
    if not text["negotiable"]:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": "MONTH"}
        if posting.salary_min is not None:
            value["minValue"] = int(posting.salary_min)
        if posting.salary_max is not None:
            value["maxValue"] = int(posting.salary_max)
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "VND", "value": value}
    return data


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _jsonld_markup(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element (no "</script>" can close it)."""
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(text)  # noqa: S308  # nosec B308 B703 - JSON with <, >, & escaped


# --- helpers ------------------------------------------------------------------------------------


def _company_or_404(code: str) -> Company:
    company = Company.objects.filter(code=code, is_active=True).first()
    if company is None:
        raise Http404
    return company


def _not_found(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, T + "message.html", {
        "title": _("Not found"),
        "message": message or _("This page does not exist or the job is no longer open."),
    }, status=404)  # fmt: skip


def _card(posting: JobPosting) -> dict[str, Any]:
    return {"posting": posting, **posting_text(posting)}


# --- pages --------------------------------------------------------------------------------------


def index_view(request: HttpRequest) -> HttpResponse:
    companies = list(public_companies()[:200])
    if len(companies) == 1:
        return HttpResponseRedirect(reverse("careers:company", args=[companies[0].code]))
    return render(request, T + "index.html", {"title": _("Careers"), "companies": companies})


def company_view(request: HttpRequest, code: str) -> HttpResponse:
    try:
        company = _company_or_404(code)
    except Http404:
        return _not_found(request)
    filters = {
        "q": request.GET.get("q", "")[:200],
        "province": request.GET.get("province", "")[:8],
        "employment_type": request.GET.get("type", "")[:16],
        "department": request.GET.get("department", "")[:64],
    }
    postings = list(public_postings(company, **filters)[:200])
    everything = list(public_postings(company)[:500])
    used_provinces = {p.province for p in everything if p.province}
    departments = {p.department.code: p.department.name for p in everything if p.department_id}
    ctx = {
        "title": _("Jobs at %(company)s") % {"company": company.name},
        "company": company,
        "cards": [_card(p) for p in postings],
        "filters": filters,
        "filtered": any(filters.values()),
        "provinces": [(c, n) for c, n in _provinces() if c in used_provinces],
        "types": EmploymentType.choices,
        "departments": sorted(departments.items(), key=lambda kv: kv[1]),
    }
    return render(request, T + "company.html", ctx)


def _posting_ctx(request: HttpRequest, company: Company, posting: JobPosting,
                 **extra: Any) -> dict[str, Any]:  # fmt: skip
    text = posting_text(posting)
    return {
        "title": text["title"],
        "company": company,
        "posting": posting,
        "text": text,
        "jsonld": _jsonld_markup(job_posting_jsonld(posting, request)),
        "provinces": _provinces(),
        "consent_months": svc.consent_months_for(company),
        "cv_max_mb": svc.cv_max_bytes(company) // (1024 * 1024),
        "honeypot": HONEYPOT,
        "data": {},
        "errors": {},
        "error": None,
        **extra,
    }


def _open_posting(code: str, slug: str) -> tuple[Company, JobPosting]:
    company = _company_or_404(code)
    try:
        posting = public_posting_get(company, slug)
    except NotFound:
        raise Http404 from None
    return company, posting


def posting_view(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    try:
        company, posting = _open_posting(code, slug)
    except Http404:
        return _not_found(request)
    return render(request, T + "posting.html", _posting_ctx(request, company, posting))


@never_cache
@require_POST
def apply_view(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    try:
        company, posting = _open_posting(code, slug)
    except Http404:
        return _not_found(request)
    data = {name: request.POST.get(name, "") for name in FORM_FIELDS}
    data["consent"] = request.POST.get("consent") in ("1", "on", "yes", "true")
    try:
        svc.application_throttle(client=client_key(request))
    except RateLimited as exc:
        ctx = _posting_ctx(request, company, posting, data=data, error=exc.message)
        return render(request, T + "posting.html", ctx, status=429)
    if request.POST.get(HONEYPOT):
        # A robot filled the invisible field: answer like a success, store nothing.
        log.info("careers: honeypot filled on %s/%s", company.code, posting.slug)
        return render(request, T + "thanks.html", {
            "title": _("Application received"), "company": company,
            "text": posting_text(posting), "link": None,
        })  # fmt: skip
    try:
        application, token = svc.application_submit(
            actor=None, company=company, posting=posting, full_name=data["full_name"],
            email=data["email"], phone=data["phone"], cv_file=request.FILES.get("cv"),
            cover_letter=data["cover_letter"], consent=data["consent"],
            province=data["province"],
        )  # fmt: skip
    except ApplicationError as exc:
        field = exc.extra.get("field") or "__all__"
        ctx = _posting_ctx(request, company, posting, data=data, errors={field: exc.message},
                           error=exc.message)  # fmt: skip
        return render(request, T + "posting.html", ctx, status=exc.status)
    return render(request, T + "thanks.html", {
        "title": _("Application received"), "company": company, "text": posting_text(posting),
        "link": reverse("careers:status", args=[token]), "email": application.candidate.email,
        "consent_until": application.candidate.consent_until,
    })  # fmt: skip


def _upcoming(application: Any) -> list[Interview]:
    return list(
        Interview.objects.filter(application=application, state=InterviewState.SCHEDULED,
                                 ends_at__gte=timezone.now())
        .select_related("room").order_by("starts_at")[:5]
    )  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
def status_view(request: HttpRequest, token: str) -> HttpResponse:
    application = svc.application_by_token(token)
    if application is None:
        return _not_found(request, _("This link is not valid (any more)."))
    notice = None
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "withdraw":
                svc.application_withdraw(actor=None, application=application)
                notice = _("Your application was withdrawn.")
            elif action == "renew":
                retention.consent_renew(actor=None, application=application)
                notice = _("Thank you: your consent was renewed.")
            elif action == "delete":
                if request.POST.get("confirm") not in ("1", "on", "yes"):
                    error = _("Tick the box to confirm that your data should be deleted.")
                else:
                    done = retention.deletion_request(application=application)
                    return render(request, T + "deleted.html", {
                        "title": _("Your data"), "done": done["done"],
                        "company": application.company,
                    })  # fmt: skip
            else:
                error = _("Unknown action.")
        except ApplicationError as exc:
            error = exc.message
        application = svc.application_by_token(token) or application
    ctx = {
        "title": _("Your application"),
        "application": application,
        "company": application.company,
        "text": posting_text(application.posting),
        "status": svc.candidate_status(application),
        "active": application.state == ApplicationState.ACTIVE,
        "interviews": _upcoming(application),
        "candidate": application.candidate,
        "consent_months": svc.consent_months_for(application.company),
        "notice": notice,
        "error": error,
    }
    return render(request, T + "status.html", ctx, status=400 if error else 200)


urlpatterns: list[URLPattern] = [
    path("", index_view, name="index"),
    path("status/<slug:token>/", status_view, name="status"),
    path("<slug:code>/", company_view, name="company"),
    path("<slug:code>/<slug:slug>/", posting_view, name="posting"),
    path("<slug:code>/<slug:slug>/apply/", apply_view, name="apply"),
]

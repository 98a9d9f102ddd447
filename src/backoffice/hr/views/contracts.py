"""Desk pages: contracts (beside the model screens in ``hr.admin.contracts``).

* ``contracts/expiring/``: the contract list filtered to active contracts ending
  within 30 days (``hr.view_contract``).
* ``contracts/<id>/document/<docx|pdf>/``: the generated contract (stored in the
  records store); ``hr.services.contracts.contract_document`` checks salary access.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse

from backoffice.core.exceptions import ApplicationError, NotFound
from backoffice.hr.selectors import contracts as sel


def expiring_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("hr.view_contract"):
        raise DjangoPermissionDenied
    url = reverse("admin:hr_contract_changelist")
    return HttpResponseRedirect(f"{url}?expiring=30&state__exact=active")


def document_view(request: HttpRequest, public_id: Any, fmt: str) -> HttpResponse:
    from backoffice.hr.documents import FORMATS
    from backoffice.hr.services.contracts import contract_document

    company = getattr(request, "company", None)
    try:
        contract = sel.contract_get_for_user(
            user=request.user, company=company, public_id=public_id
        )
        name, data = contract_document(
            actor=request.user, company=company, contract=contract, fmt=fmt
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ApplicationError as exc:
        if exc.status == 403:
            raise DjangoPermissionDenied(exc.message) from exc
        raise Http404(exc.message) from exc
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns: list[URLPattern] = [
    path("contracts/expiring/", admin.site.admin_view(expiring_view), name="contract_expiring"),
    path("contracts/<uuid:public_id>/document/<str:fmt>/", admin.site.admin_view(document_view),
         name="contract_document"),
]  # fmt: skip

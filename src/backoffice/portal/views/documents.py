"""My documents: own uploads and the documents of one's own person record and
contracts, as far as ``records.selectors.visible_documents`` allows; downloads
go through ``records.selectors.document_open`` (audited for confidential ones)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from backoffice.portal import selectors as sel
from backoffice.portal.access import Me, portal_page
from backoffice.portal.views.common import page


@portal_page()
def documents(request: HttpRequest, me: Me) -> HttpResponse:
    ctx = {"documents": list(sel.my_documents(me)[:200])}
    return page(request, me, "portal/documents.html", ctx, active="documents")


@require_GET
@portal_page()
def document_download(request: HttpRequest, me: Me, public_id: str) -> HttpResponse:
    from backoffice.records.selectors import document_open
    from backoffice.records.views import file_response

    if not sel.my_documents(me).filter(public_id=public_id).exists():
        raise Http404
    document, version, data = document_open(user=me.user, company=me.company, public_id=public_id)
    return file_response(document, version, data)

"""T5 seed for the records API: one document per company."""

from __future__ import annotations


def seed(company, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from backoffice.records.services import document_attach

    doc = document_attach(
        actor=admin,
        company=company,
        owner=None,
        title=f"Ghi chú {company.code}",
        uploaded_file=SimpleUploadedFile("ghi-chu.txt", "Ghi chú nội bộ".encode()),
    )
    return {"doc_id": doc.public_id}, {doc.public_id}

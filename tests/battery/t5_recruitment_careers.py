"""T5 seed of the recruitment careers area: a published posting and one
application through the public path (``application_submit``), so the
candidate's name, e-mail and the application's id must never appear in
the other company's responses (staff candidate and application APIs)."""

from __future__ import annotations


def seed(company, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from backoffice.recruitment.models import JobPosting
    from backoffice.recruitment.services.applications import application_submit
    from backoffice.recruitment.tests.test_careers_cvs import cv_docx

    tag = company.code.lower()
    posting = JobPosting.objects.create(
        company=company, slug=f"t5-careers-{tag}", title=f"Vị trí T5 {tag}",
        state="published", published_at=timezone.now(),
    )  # fmt: skip
    name = f"Ứng Viên Bí Mật {tag}"
    email = f"t5-careers-{tag}@example.vn"
    cv = SimpleUploadedFile("cv.docx", cv_docx([name, "Python, Django"]))
    application, token = application_submit(
        actor=None, company=company, posting=posting, full_name=name, email=email,
        phone="", cv_file=cv,
    )  # fmt: skip
    return {}, {name, email, str(application.public_id), token}


# The public operations are addressed by a company's code and a posting's
# address, not by ids a fuzzer can be given (a public posting of the other
# company is, by design, public: the "other company's ids answer 404" check
# cannot apply). Random codes answer 404; test_careers.py covers success.
NO_2XX_EXPECTED = {
    "GET /api/v1/recruitment/public/{company_code}/postings": (
        "addressed by company code; random codes are 404 (test_careers.py::test_api_*)"
    ),
    "GET /api/v1/recruitment/public/{company_code}/postings/{slug}": "same as above",
    "POST /api/v1/recruitment/public/{company_code}/postings/{slug}/applications": (
        "multipart with a real PDF/DOCX CV for an open posting, rate-limited "
        "(test_careers.py::test_api_apply_multipart_and_its_limit)"
    ),
}

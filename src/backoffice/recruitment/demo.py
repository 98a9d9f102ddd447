"""Demo recruitment (a ``backoffice demo`` step, after the HR step).

For the demo company: three approved requisitions (IT, sales, accounting),
their three published postings (Vietnamese and English text, screening
requirements, interview criteria), 25 candidates spread over the pipeline
(each with a small generated PDF CV in the records store, screened when the
screening area is installed), interviews with scorecards for those who
reached the interview, one offer sent and one person hired (through the same
services HR uses: the offer letter, the employee with a portal account and
the onboarding checklist, the requisition's count).

Deterministic for the seed (its own ``random.Random``, fixed names and
dates relative to the day the demo is made); fast (small PDFs, bulk-free but
only ~25 rows of each kind).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from decimal import Decimal
from typing import Any

from django.utils import timezone

log = logging.getLogger("backoffice.demo")

HR_OFFICER, HR_MANAGER, DIRECTOR = "nhansu", "truongphongns", "dieuhanh"

REQUISITIONS = [
    {
        "slug": "ky-su-phan-mem-python", "title": "Kỹ sư phần mềm Python",
        "title_en": "Python software engineer", "dept": "CNTT", "position": "KSCNTT",
        "headcount": 2, "min": 18_000_000, "max": 30_000_000, "province": "79",
        "skills": ["Python", "Django", "SQL|PostgreSQL|MySQL", "Git", "Docker"],
        "min_years": 2, "education": "bachelor", "languages": ["English|Tiếng Anh"],
        "description": "Phát triển và vận hành hệ thống back office trên Django, PostgreSQL.",
        "description_en": "Build and run our Django / PostgreSQL back office.",
    },
    {
        "slug": "nhan-vien-kinh-doanh", "title": "Nhân viên kinh doanh",
        "title_en": "Sales executive", "dept": "KD", "position": "NVKD",
        "headcount": 3, "min": 10_000_000, "max": 15_000_000, "province": "01",
        "skills": ["bán hàng|sales", "chăm sóc khách hàng|customer service", "CRM", "Excel"],
        "min_years": 1, "education": "vocational", "languages": [],
        "description": "Tìm kiếm khách hàng doanh nghiệp, tư vấn giải pháp phần mềm.",
        "description_en": "Find business customers and advise them on our software.",
    },
    {
        "slug": "ke-toan-vien", "title": "Kế toán viên", "title_en": "Accountant",
        "dept": "KT", "position": "KTV", "headcount": 1, "min": 12_000_000, "max": 18_000_000,
        "province": "79",
        "skills": ["kế toán|accounting", "thuế|tax", "MISA|Excel", "báo cáo tài chính"],
        "min_years": 2, "education": "bachelor", "languages": [],
        "description": "Hạch toán, lập tờ khai thuế GTGT, TNCN và báo cáo tài chính.",
        "description_en": "Bookkeeping, VAT and PIT returns, financial statements.",
    },
]  # fmt: skip
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quốc", "Thanh", "Ngọc", "Hoài", "Đức", "Bảo"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Nam", "Ngân", "Phong", "Quân", "Quyên", "Sơn", "Tâm",
         "Thảo", "Trang", "Tuấn", "Vy"]  # fmt: skip
# Where the 25 candidates are: the last stage each reached.
PLAN = (["new"] * 7 + ["screening"] * 6 + ["interview"] * 6 + ["offer"] + ["hired"]
        + ["rejected"] * 4)  # fmt: skip
SOURCES = ["careers_page"] * 5 + ["referral"] * 2 + ["job_board"] * 2 + ["headhunter"]
ORDER = ["new", "screening", "interview", "offer", "hired"]


def _ascii(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


def cv_pdf(name: str, email: str, req: dict[str, Any], years: int, rng: random.Random) -> bytes:
    """A one-page CV in Vietnamese naming some of the posting's skills."""
    from fpdf import FPDF

    from backoffice.recruitment.documents import FONT_FILES, font_dir

    fonts = font_dir()
    pdf = FPDF(unit="mm", format="A4")
    for style, file in FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(fonts / file))
    pdf.add_page()
    w = pdf.w - pdf.l_margin - pdf.r_margin
    skills = [s.split("|")[0] for s in req["skills"]]
    have = skills[: max(1, len(skills) - rng.randrange(0, 3))]
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(w, 9, name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    lines = [
        f"E-mail: {email} · Điện thoại: 09{rng.randrange(10**7, 10**8)}",
        f"Vị trí ứng tuyển: {req['title']}",
        "KINH NGHIỆM",
        f"{years} năm kinh nghiệm làm việc ở vị trí tương tự tại công ty TNHH "
        f"{rng.choice(['Sao Mai', 'Bình Minh', 'Trường Sơn', 'Phú Gia'])}.",
        "KỸ NĂNG",
        ", ".join(have),
        "HỌC VẤN",
        rng.choice(
            [
                "Cử nhân, Đại học Kinh tế TP.HCM",
                "Kỹ sư, Đại học Bách khoa Hà Nội",
                "Cao đẳng Kinh tế Đối ngoại",
            ]
        ),  # fmt: skip
        "NGOẠI NGỮ",
        rng.choice(["Tiếng Anh (IELTS 6.5)", "Tiếng Anh giao tiếp", "Tiếng Nhật N3"]),
    ]
    for line in lines:
        bold = line.isupper()
        pdf.set_font("DejaVu", "B" if bold else "", 11 if bold else 10)
        pdf.multi_cell(w, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _users(company: Any) -> dict[str, Any]:
    from backoffice.core.demo import DEMO_DOMAIN
    from backoffice.core.models import User

    out = {}
    for key in (HR_OFFICER, HR_MANAGER, DIRECTOR):
        user = User.objects.get(email=f"{key}@{DEMO_DOMAIN}")
        user.active_company = company
        out[key] = user
    return out


def demo_requisitions(company: Any, users: dict[str, Any], today: dt.date) -> list[Any]:
    from backoffice.core.models import Department, Position
    from backoffice.recruitment.models import JobPosting, JobRequisition
    from backoffice.recruitment.services.common import next_number

    postings = []
    approved = timezone.now() - dt.timedelta(days=70)
    for spec in REQUISITIONS:
        dept = Department.objects.filter(company=company, code=spec["dept"]).first()
        pos = Position.objects.filter(company=company, code=spec["position"]).first()
        if dept is None:
            continue
        req = JobRequisition.objects.create(
            company=company, number=next_number(JobRequisition, company, "YC"),
            title=spec["title"], department=dept, position=pos,
            hiring_manager=users[DIRECTOR], headcount=spec["headcount"],
            salary_min=Decimal(spec["min"]), salary_max=Decimal(spec["max"]),
            justification="Mở rộng đội ngũ theo kế hoạch năm.", state="approved",
            submitted_at=approved, approved_at=approved, created_by=users[HR_OFFICER],
            target_start=today + dt.timedelta(days=30),
        )  # fmt: skip
        postings.append(JobPosting.objects.create(
            company=company, requisition=req, slug=spec["slug"], title=spec["title"],
            title_en=spec["title_en"], description=spec["description"],
            description_en=spec["description_en"],
            requirements_text="\n".join(s.split("|")[0] for s in spec["skills"]),
            benefits="Lương tháng 13\nBảo hiểm sức khoẻ\n12 ngày phép năm",
            benefits_en="13th-month salary\nHealth insurance\n12 days of annual leave",
            department=dept, province=spec["province"], location=company.address,
            salary_min=Decimal(spec["min"]), salary_max=Decimal(spec["max"]),
            openings=spec["headcount"], deadline=today + dt.timedelta(days=45),
            requirements={"skills": spec["skills"], "min_years": spec["min_years"],
                          "education": spec["education"], "languages": spec["languages"]},
            scorecard_criteria=["Kỹ năng chuyên môn", "Giao tiếp", "Phù hợp văn hoá"],
            state="published", published_at=approved, created_by=users[HR_OFFICER],
        ))  # fmt: skip
    return postings


def _interview(app: Any, users: dict[str, Any], at: dt.datetime, done: bool,
               rng: random.Random) -> None:  # fmt: skip
    from backoffice.recruitment.models import Interview, Scorecard

    interview = Interview.objects.create(
        company=app.company, application=app, title=f"Phỏng vấn — {app.candidate.full_name}",
        starts_at=at, ends_at=at + dt.timedelta(hours=1), mode="onsite",
        state="done" if done else "scheduled", organizer=users[HR_OFFICER],
    )  # fmt: skip
    panel = [users[HR_MANAGER], users[DIRECTOR]]
    interview.interviewers.set(panel)
    if not done:
        return
    criteria = app.posting.scorecard_criteria or ["Kỹ năng chuyên môn"]
    for user in panel:
        overall = rng.randint(3, 5)
        Scorecard.objects.create(
            company=app.company, interview=interview, interviewer=user,
            ratings=[{"criterion": c, "rating": rng.randint(2, 5), "comment": ""}
                     for c in criteria],
            overall=overall, recommendation="strong_yes" if overall == 5 else "yes",
            comment="Ứng viên trả lời tốt, cần tìm hiểu thêm về kinh nghiệm thực tế.",
            submitted_at=at + dt.timedelta(hours=2),
        )  # fmt: skip


def demo_candidates(company: Any, postings: list[Any], users: dict[str, Any],
                    rng: random.Random) -> list[Any]:  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    from backoffice.records.services import document_attach
    from backoffice.records.text import extract_text
    from backoffice.recruitment.models import Application, Candidate, StageChange
    from backoffice.recruitment.services.stages import stage_of_kind

    stages = {k: stage_of_kind(company, k) for k in [*ORDER, "rejected"]}
    now = timezone.now()
    try:
        from backoffice.recruitment.services.applications import email_index, phone_index
    except ImportError:
        email_index = phone_index = None  # type: ignore[assignment]
    try:
        from backoffice.recruitment.services.pipeline import application_screen
    except ImportError:
        application_screen = None  # type: ignore[assignment]
    made = []
    for i, target in enumerate(PLAN):
        name = f"{SURNAMES[i % len(SURNAMES)]} {rng.choice(MIDDLE)} {GIVEN[i % len(GIVEN)]}"
        email = f"{_ascii(name).replace(' ', '.')}{i + 1}@example.vn"
        phone = f"09{rng.randrange(10**7, 10**8)}"
        # the offer and hire candidates apply to the IT posting (2 openings)
        posting = postings[0] if target in ("offer", "hired") else postings[i % len(postings)]
        spec = next(r for r in REQUISITIONS if r["slug"] == posting.slug)
        data = cv_pdf(name, email, spec, rng.randint(0, 7), rng)
        applied = now - dt.timedelta(days=rng.randint(12, 60), hours=rng.randint(0, 8))
        cand = Candidate.objects.create(
            company=company, full_name=name, email=email, phone=phone,
            email_index=email_index(email) if email_index else "",
            phone_index=phone_index(phone) if phone_index else "",
            province=posting.province, cv_text=extract_text(data, "pdf"),
            consent_at=applied, consent_until=(applied + dt.timedelta(days=365)).date(),
            consent_version="2026-1",
        )  # fmt: skip
        # the path through the stages, a few days apart
        path = ORDER[: ORDER.index(target) + 1] if target != "rejected" else (
            ORDER[: rng.randint(1, 3)] + ["rejected"])  # fmt: skip
        if target in ("offer", "hired"):
            path = ORDER[:3]  # the offer service moves them on
        times, at = [], applied
        for _kind in path:
            times.append(at)
            at = min(at + dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6)),
                     now - dt.timedelta(hours=1))  # fmt: skip
        last = path[-1]
        app = Application.objects.create(
            company=company, candidate=cand, posting=posting, stage=stages[last],
            state="rejected" if last == "rejected" else "active",
            source=SOURCES[i % len(SOURCES)],
            source_detail="Giới thiệu bởi nhân viên" if SOURCES[i % len(SOURCES)] == "referral"
            else "",
            applied_at=applied, stage_entered_at=times[-1],
            decided_at=times[-1] if last == "rejected" else None,
            rejection_reason="Chưa đủ kinh nghiệm theo yêu cầu" if last == "rejected" else "",
            created_by=users[HR_OFFICER],
        )  # fmt: skip
        prev = None
        for kind, when in zip(path, times, strict=True):
            StageChange.objects.create(application=app, from_stage=prev, to_stage=stages[kind],
                                       at=when, actor=users[HR_OFFICER] if prev else None)  # fmt: skip
            prev = stages[kind]
        document_attach(
            actor=users[HR_OFFICER], company=company, owner=app,
            uploaded_file=SimpleUploadedFile(f"cv-{_ascii(name).replace(' ', '-')}.pdf", data,
                                             "application/pdf"),
            classification="confidential", doc_type="cv", title=f"CV — {name}",
        )  # fmt: skip
        if application_screen is not None:
            try:
                application_screen(application=app)
            except Exception:  # noqa: BLE001 - the demo stays usable without a score
                log.warning("recruitment demo: screening failed", exc_info=True)
        if "interview" in path:
            k = path.index("interview")
            done = target != "interview" or i % 2 == 0
            when = times[k] + dt.timedelta(days=1) if done else now + dt.timedelta(days=2 + i % 3)
            _interview(app, users, when.replace(hour=2, minute=0, second=0, microsecond=0),
                       done, rng)  # fmt: skip
        made.append((app, target))
    return made


def demo_offers(company: Any, made: list[Any], users: dict[str, Any], today: dt.date) -> Any:
    """One offer sent (the first "offer" candidate) and one hire (the "hired" one)."""
    from backoffice.recruitment.services import hire, offers

    hr = users[HR_OFFICER]
    start = today + dt.timedelta(days=14)
    employee = None
    for app, target in made:
        if target not in ("offer", "hired"):
            continue
        offer = offers.offer_create(
            actor=hr, application=app, salary=Decimal(25_000_000 if target == "hired" else
                                                       22_000_000),
            start_date=start, benefits="Lương tháng 13\nBảo hiểm sức khoẻ\nLaptop làm việc",
            expires_on=today + dt.timedelta(days=7),
        )  # fmt: skip
        offers.offer_submit(actor=hr, offer=offer)
        offers.offer_send(actor=hr, offer=offer)
        if target == "hired":
            offers.offer_accept(actor=hr, offer=offer)
            employee = hire.application_hire(actor=hr, application=app)
    return employee


def demo_step(*, company: Any, seed: int = 1, **context: Any) -> None:
    from backoffice.core.demo import DEMO_CODE
    from backoffice.recruitment.models import JobRequisition

    if company.code != DEMO_CODE or JobRequisition.objects.filter(company=company).exists():
        return
    started = time.monotonic()
    rng = random.Random(seed * 7919 + 5)  # noqa: S311 - deterministic demo data
    today = timezone.localdate()
    users = _users(company)
    postings = demo_requisitions(company, users, today)
    if len(postings) < len(REQUISITIONS):
        log.warning("recruitment demo: departments missing, skipped")
        return
    made = demo_candidates(company, postings, users, rng)
    from backoffice.core.exceptions import ApplicationError

    try:
        employee = demo_offers(company, made, users, today)
    except ApplicationError:  # the demo stays usable; the tests catch the cause
        log.warning("recruitment demo: the offer / hire could not be completed", exc_info=True)
        employee = None
    log.info(
        "recruitment demo: %d postings, %d applications, hired %s in %.1f s",
        len(postings), len(made), getattr(employee, "code", None), time.monotonic() - started,
    )  # fmt: skip

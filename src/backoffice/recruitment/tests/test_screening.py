"""CV screening on generated Vietnamese and English CVs (PDF and DOCX,
extracted by records.text.extract_text): scores, the explanation (which
requirement matched where, with the original diacritics), what is missing;
experience from stated years and from periods; SimHash."""

from __future__ import annotations

import datetime as dt

import pytest

from backoffice.records.text import extract_text
from backoffice.recruitment import screening
from backoffice.recruitment.tests import cvs
from backoffice.recruitment.tests.conftest import REQUIREMENTS

TODAY = dt.date(2026, 11, 27)


def _text(source: str, kind: str) -> str:
    data = cvs.pdf_bytes(source) if kind == "pdf" else cvs.docx_bytes(source)
    return extract_text(data, kind)


def _items(result):
    return {(i["kind"], i["requirement"]): i for i in result.items}


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_vietnamese_strong_cv_meets_everything(kind):
    text = _text(cvs.VI_STRONG, kind)
    assert "Kinh nghiệm".upper() in text  # diacritics preserved by the extraction
    result = screening.screen(text, REQUIREMENTS, today=TODAY)
    assert result.score == 100
    assert result.missing == []
    items = _items(result)
    sql = items[("skill", "SQL|PostgreSQL|MySQL")]
    assert sql["met"]
    assert sql["matched"] == "PostgreSQL"
    assert "PostgreSQL" in sql["evidence"]
    assert text[sql["position"] : sql["position"] + 10] == "PostgreSQL"
    exp = items[("experience", "3")]
    assert exp["met"]
    assert exp["how"] == "periods"
    assert exp["found"] == pytest.approx(8.5, abs=0.2)
    assert "03/2021 - nay" in exp["evidence"]
    assert "06/2018 - 02/2021" in exp["evidence"]
    edu = items[("education", "bachelor")]
    assert edu["met"]
    assert "Cử nhân Công nghệ thông tin" in edu["evidence"]
    lang = items[("language", "English|Tiếng Anh")]
    assert lang["met"]
    assert "Tiếng Anh: IELTS 6.5" in lang["evidence"]
    assert text[lang["position"] : lang["position"] + 9] == "Tiếng Anh"


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_english_strong_cv(kind):
    text = _text(cvs.EN_STRONG, kind)
    result = screening.screen(text, REQUIREMENTS, today=TODAY)
    assert result.score == 100
    assert result.education == "master"  # higher than the bachelor asked: met
    items = _items(result)
    assert items[("skill", "SQL|PostgreSQL|MySQL")]["matched"] == "MySQL"  # the earliest
    assert items[("experience", "3")]["found"] >= 6
    assert "TOEIC 900" in items[("language", "English|Tiếng Anh")]["evidence"]


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_vietnamese_junior_cv_explains_what_is_missing(kind):
    result = screening.screen(_text(cvs.VI_JUNIOR, kind), REQUIREMENTS, today=TODAY)
    # Only the experience (2023 – nay: 3.9 years) is met: 20 of 100 points.
    assert result.score == 20
    assert result.education == "vocational"
    missing = {(m["kind"], m["requirement"]) for m in result.missing}
    assert missing == {
        ("skill", "Python"), ("skill", "Django"), ("skill", "SQL|PostgreSQL|MySQL"),
        ("skill", "Git"), ("education", "bachelor"), ("language", "English|Tiếng Anh"),
    }  # fmt: skip
    edu = _items(result)[("education", "bachelor")]
    assert edu["found"] == "vocational"
    assert edu["points"] == 0


def test_english_weak_cv_partial_experience():
    result = screening.screen(_text(cvs.EN_WEAK, "pdf"), REQUIREMENTS, today=TODAY)
    exp = _items(result)[("experience", "3")]
    assert not exp["met"]
    assert exp["found"] == pytest.approx(2.8, abs=0.1)
    assert 0 < exp["points"] < exp["max_points"]  # partial credit, not met
    assert result.education == "high_school"
    assert result.score == 19


def test_stated_years_vi_and_en_and_folded_requirements():
    assert screening.experience_years("Có 5 năm kinh nghiệm lập trình")["years"] == 5
    assert screening.experience_years("I have 7+ years of professional experience")["years"] == 7
    assert screening.experience_years("Kinh nghiệm: hơn 4 năm")["years"] == 4
    assert screening.experience_years("Số năm kinh nghiem 2")["years"] == 0  # no number+unit
    # A requirement written without diacritics matches a CV with them, and vice versa.
    result = screening.screen("Thành thạo tiếng Nhật (JLPT N2)", {"languages": ["tieng nhat"]})
    assert result.score == 100
    assert "JLPT N2" in result.items[0]["evidence"]
    result = screening.screen("kinh nghiem quan ly kho", {"skills": ["Quản lý kho"]})
    assert result.score == 100


def test_periods_are_summed_without_overlap_and_education_ignored():
    text = (
        "KINH NGHIỆM LÀM VIỆC\n2018 – 2023: Công ty A\n2020 - 2021: dự án song song\n"
        "01/2024 - hiện tại: Công ty B\n\nHỌC VẤN\n2010 - 2014: Đại học Kinh tế\n"
    )
    exp = screening.experience_years(text, today=dt.date(2025, 1, 15))
    # 2018–2023 = 5 years (the parallel project counts once) + 01/2024–01/2025 = 1 year.
    assert exp["years"] == 6.0
    assert exp["periods"] == 3
    # Without section headings, a line naming a school is not work.
    flat = "2019 - present: ACME Corp\n2015 - 2019 University of Economics\n"
    assert screening.experience_years(flat, today=dt.date(2024, 1, 1))["years"] == 5.0


def test_education_levels_and_false_friends():
    assert screening.education_level("Tốt nghiệp Thạc sĩ Quản trị kinh doanh")["level"] == "master"
    assert screening.education_level("PhD in Physics")["level"] == "doctorate"
    assert screening.education_level("Certified Scrum Master")["level"] == ""
    assert screening.education_level("Trung cấp kế toán")["level"] == "vocational"


def test_weights_and_no_requirements():
    req = {"skills": ["Python", "Go"], "weights": {"skills": 10}}
    assert screening.screen("Python developer", req).score == 50
    empty = screening.screen("anything", {})
    assert empty.score == 0
    assert empty.items == []
    assert empty.as_dict()["missing"] == []


def test_simhash_near_identical_and_different():
    a = _text(cvs.VI_STRONG, "pdf")
    same_as_docx = _text(cvs.VI_STRONG, "docx")
    edited = a.replace("0912 345 678", "0900 111 222").replace("Redis", "Redis, RabbitMQ")
    fa = screening.simhash(a)
    assert len(fa) == 16
    assert int(fa, 16) >= 0
    assert screening.similarity(fa, screening.simhash(same_as_docx)) >= 0.9
    assert screening.similarity(fa, screening.simhash(edited)) >= 0.9
    for other in (cvs.VI_JUNIOR, cvs.EN_STRONG, cvs.EN_WEAK):
        assert screening.similarity(fa, screening.simhash(_text(other, "pdf"))) < 0.8
    assert screening.simhash("") == ""
    assert screening.similarity(fa, "") == 0.0

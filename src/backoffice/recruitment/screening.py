"""CV screening: a posting's ``requirements`` matched against a CV's text
(pure functions, no database).

The CV and the requirement terms are folded with ``records.text.fold``
(diacritics stripped, lower case: "Kinh nghiệm" matches "kinh nghiem"), one
character at a time so that every match points back into the original text:
the evidence is a snippet of the CV as written (with its diacritics) and the
position of the match in it.

Requirements (``JobPosting.requirements``)::

    {"skills": ["Python", "SQL|PostgreSQL"],   # "|": synonyms, any one is enough
     "min_years": 3,                           # stated ("5 năm kinh nghiệm", "5+ years of
                                               # experience") or summed from the periods of
                                               # the experience section ("2018 – 2023",
                                               # "03/2019 - nay"), overlaps counted once
     "education": "bachelor",                  # EducationLevel: met by it or a higher one
     "languages": ["English|Tiếng Anh"],        # certificates count (IELTS, TOEIC, JLPT ...)
     "weights": {"skills": 50, "experience": 20, "education": 15, "languages": 15}}

The score (0–100) is the points earned over the points of the kinds that the
posting asks for. The score assists; a person decides.

``simhash`` / ``similarity``: a 64-bit SimHash of the folded words and word
pairs (numbers left out) for near-identical CVs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from backoffice.records.text import fold

DEFAULT_WEIGHTS = {"skills": 50, "experience": 20, "education": 15, "languages": 15}
SNIPPET = 60  # characters of context either side of a match
MAX_CHARS = 200_000  # of a CV's text that is screened

LEVELS = ("", "high_school", "vocational", "bachelor", "master", "doctorate")
# Folded keywords per education level (vi + en).
EDUCATION_TERMS: dict[str, tuple[str, ...]] = {
    "doctorate": ("tien si", "phd", "ph.d", "ph. d", "doctor of philosophy", "doctorate",
                  "doctoral"),
    "master": ("thac si", "master", "masters", "master's", "mba", "m.sc", "msc", "m.eng",
               "cao hoc"),
    "bachelor": ("cu nhan", "bang ky su", "dai hoc", "bachelor", "bachelor's", "b.sc", "bsc", "b.eng",
                 "b.a", "university", "engineer's degree"),
    "vocational": ("cao dang", "trung cap", "college", "vocational", "associate degree"),
    "high_school": ("trung hoc pho thong", "thpt", "high school", "tot nghiep pho thong"),
}  # fmt: skip
# Words that make a level keyword something else ("Scrum Master", "master data").
EDUCATION_NOT = re.compile(r"(scrum|web|quiz|toast)\s+master|master\s+(data|plan|branch)")

# Certificates and other names that prove a language (folded).
LANGUAGE_HINTS: tuple[tuple[str, ...], ...] = (
    ("english", "tieng anh", "anh van", "anh ngu", "ielts", "toeic", "toefl", "cambridge",
     "cae", "fce"),
    ("japanese", "tieng nhat", "nhat ngu", "jlpt", "nat-test"),
    ("chinese", "mandarin", "tieng trung", "tieng hoa", "trung van", "hsk"),
    ("korean", "tieng han", "han ngu", "topik"),
    ("french", "tieng phap", "phap van", "delf", "dalf", "tcf"),
    ("german", "tieng duc", "duc ngu", "goethe", "testdaf"),
)  # fmt: skip

_HEADER_WORDS = {
    "experience": ("kinh nghiem", "qua trinh cong tac", "qua trinh lam viec", "experience",
                   "work history", "employment", "lich su lam viec", "cong viec da lam"),
    "education": ("hoc van", "trinh do hoc van", "education", "qua trinh hoc tap", "bang cap",
                  "dao tao", "academic"),
    "other": ("ky nang", "skills", "ngoai ngu", "languages", "chung chi", "certificat",
              "du an", "projects", "muc tieu", "objective", "summary", "thong tin",
              "personal", "so thich", "interests", "hobbies", "nguoi tham chieu",
              "references", "giai thuong", "awards", "hoat dong", "activities", "gioi thieu",
              "profile", "contact", "lien he"),
}  # fmt: skip
_PRESENT = r"nay|hien tai|hien nay|bay gio|present|now|current|currently|today|ongoing"
_DATE = r"(?:(0?[1-9]|1[0-2])\s*[/.]\s*)?((?:19|20)\d{2})"
_RANGE = re.compile(
    _DATE + r"\s*(?:-|–|—|~|to|den|toi)\s*(?:" + _DATE + r"|(" + _PRESENT + r"))(?!\w)"
)
_YEARS = r"(\d{1,2}(?:[.,]5)?)\s*\+?\s*(?:nam|years?|yrs?)"
_STATED = (
    # "5 năm kinh nghiệm", "5+ years of experience", "7 years of professional experience"
    re.compile(
        r"(?<![\w.])" + _YEARS + r"\s*\+?\s*(?:of\s+)?(?:\w+\s+){0,2}?"
        r"(?:kinh nghiem|experience)"
    ),  # fmt: skip
    # "Kinh nghiệm: hơn 5 năm", "experience of over 5 years"
    re.compile(
        r"(?:kinh nghiem|experience)\s*(?:lam viec|of|:|-|–)?\s*"
        r"(?:tren|hon|khoang|over|more than|about|of)?\s*" + _YEARS
    ),  # fmt: skip
)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class ScreeningResult:
    score: int
    items: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    years: float = 0.0
    education: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "items": self.items,
            "missing": self.missing,
            "years": self.years,
            "education": self.education,
        }


# --- text ------------------------------------------------------------------------------------


class Folded:
    """The folded text and, for each of its characters, the index of the
    original character it came from."""

    def __init__(self, text: str):
        self.original = text or ""
        out: list[str] = []
        where: list[int] = []
        for i, ch in enumerate(self.original):
            f = fold(ch) if ord(ch) > 127 else ch.lower()
            out.append(f)
            where.extend([i] * len(f))
        self.text = "".join(out)
        self.where = where

    def position(self, folded_index: int) -> int:
        if not self.where:
            return 0
        return self.where[min(max(folded_index, 0), len(self.where) - 1)]

    def snippet(self, start: int, end: int) -> str:
        """The original line around folded[start:end] (at most SNIPPET characters
        either side of the match), whitespace collapsed."""
        a = self.position(start)
        b = self.position(max(end - 1, start)) + 1
        line_lo = self.original.rfind("\n", 0, a) + 1
        line_hi = self.original.find("\n", b)
        line_hi = len(self.original) if line_hi < 0 else line_hi
        lo, hi = max(line_lo, a - SNIPPET), min(line_hi, b + SNIPPET)
        text = " ".join(self.original[lo:hi].split())
        return ("…" if lo > line_lo else "") + text + ("…" if hi < line_hi else "")


def _term_pattern(term: str) -> re.Pattern[str] | None:
    folded = " ".join(fold(term).split())
    if not folded:
        return None
    body = r"\s+".join(re.escape(part) for part in folded.split(" "))
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


def _find(doc: Folded, terms: list[str]) -> tuple[re.Match[str], str] | None:
    """The earliest match of any of the terms."""
    best: tuple[re.Match[str], str] | None = None
    for term in terms:
        pattern = _term_pattern(term)
        if pattern is None:
            continue
        m = pattern.search(doc.text)
        if m and (best is None or m.start() < best[0].start()):
            best = (m, term.strip())
    return best


def _alternatives(requirement: str) -> list[str]:
    return [t.strip() for t in str(requirement or "").split("|") if t.strip()]


# --- experience ------------------------------------------------------------------------------


def _sections(doc: Folded) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the CV's sections, from short heading lines."""
    heads: list[tuple[int, str]] = []
    offset = 0
    for line in doc.text.split("\n"):
        stripped = line.strip(" \t:-•*#|").strip()
        if stripped and len(stripped) <= 45 and not re.search(r"\d{4}", stripped):
            for kind, words in _HEADER_WORDS.items():
                if any(stripped.startswith(w) for w in words):
                    heads.append((offset, kind))
                    break
        offset += len(line) + 1
    out = []
    for i, (start, kind) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(doc.text)
        out.append((start, end, kind))
    return out


def _month_index(month: str | None, year: str, *, end: bool) -> int:
    y = int(year)
    if month:
        return y * 12 + int(month) - 1 + (1 if end else 0)
    return y * 12


def _ranges(doc: Folded, today: dt.date) -> list[tuple[int, int, int, int]]:
    """(start_month, end_month, folded start, folded end) of the work periods."""
    sections = _sections(doc)
    work = [(a, b) for a, b, kind in sections if kind == "experience"]
    edu_words = EDUCATION_TERMS["bachelor"] + EDUCATION_TERMS["vocational"] + (
        "truong", "hoc vien", "school", "thac si", "master", "tien si", "phd", "sinh vien",
        "student", "gpa", "tot nghiep", "graduat")  # fmt: skip
    now = today.year * 12 + today.month - 1  # "nay": up to the start of this month
    out = []
    for m in _RANGE.finditer(doc.text):
        if work:
            if not any(a <= m.start() < b for a, b in work):
                continue
        else:
            line_start = doc.text.rfind("\n", 0, m.start()) + 1
            line_end = doc.text.find("\n", m.end())
            line = doc.text[line_start : line_end if line_end >= 0 else len(doc.text)]
            if any(_term_pattern(w).search(line) for w in edu_words):  # type: ignore[union-attr]
                continue
        m1, y1, m2, y2, present = m.groups()
        start = _month_index(m1, y1, end=False)
        stop = now if present else _month_index(m2, y2, end=True)
        if y2 and not m2 and m1:  # "03/2019 - 2021": to the end of 2021
            stop = int(y2) * 12 + 12
        stop = min(stop, now)
        if stop > start and start >= 1950 * 12:
            out.append((start, stop, m.start(), m.end()))
    return out


def _merged_months(ranges: list[tuple[int, int, int, int]]) -> int:
    total, cur_a, cur_b = 0, None, None
    for a, b, _s, _e in sorted(ranges):
        if cur_b is None or a > cur_b:
            if cur_b is not None:
                total += cur_b - cur_a  # type: ignore[operator]
            cur_a, cur_b = a, b
        else:
            cur_b = max(cur_b, b)
    if cur_b is not None:
        total += cur_b - cur_a  # type: ignore[operator]
    return total


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def experience_years(text: str | Folded, today: dt.date | None = None) -> dict[str, Any]:
    """Years of experience: the largest stated figure, or the work periods
    summed without overlap, whichever is larger; with the evidence."""
    doc = text if isinstance(text, Folded) else Folded(text)
    today = today or _today()
    stated, stated_at = 0.0, None
    for pattern in _STATED:
        for m in pattern.finditer(doc.text):
            value = float(m.group(1).replace(",", "."))
            if 0 < value <= 50 and value > stated:
                stated, stated_at = value, (m.start(), m.end())
    ranges = _ranges(doc, today)
    summed = round(_merged_months(ranges) / 12, 1)
    if stated >= summed and stated_at:
        return {"years": stated, "how": "stated", "evidence": doc.snippet(*stated_at),
                "position": doc.position(stated_at[0]), "periods": len(ranges)}  # fmt: skip
    if ranges:
        first = min(ranges, key=lambda r: r[2])
        return {"years": summed, "how": "periods", "periods": len(ranges),
                "evidence": " · ".join(doc.snippet(r[2], r[3]) for r in
                                       sorted(ranges, key=lambda r: r[2])[:4])[:400],
                "position": doc.position(first[2])}  # fmt: skip
    return {"years": 0.0, "how": "", "evidence": "", "position": -1, "periods": 0}


# --- education -------------------------------------------------------------------------------


def education_level(text: str | Folded) -> dict[str, Any]:
    """The highest level named in the CV, with where."""
    doc = text if isinstance(text, Folded) else Folded(text)
    cleaned = EDUCATION_NOT.sub(lambda m: " " * len(m.group(0)), doc.text)
    probe = Folded("")
    probe.text, probe.where, probe.original = cleaned, doc.where, doc.original
    for level in reversed(LEVELS[1:]):
        found = _find(probe, list(EDUCATION_TERMS[level]))
        if found:
            m, term = found
            return {"level": level, "term": term, "evidence": doc.snippet(m.start(), m.end()),
                    "position": doc.position(m.start())}  # fmt: skip
    return {"level": "", "term": "", "evidence": "", "position": -1}


# --- languages -------------------------------------------------------------------------------


def _language_terms(requirement: str) -> list[str]:
    terms = _alternatives(requirement)
    folded = {" ".join(fold(t).split()) for t in terms}
    for group in LANGUAGE_HINTS:
        if folded & set(group):
            terms.extend(t for t in group if t not in folded)
    return terms


# --- score -----------------------------------------------------------------------------------


def _item(requirement: str, kind: str, found: Any, doc: Folded, max_points: float,
          met: bool, points: float | None = None, **extra: Any) -> dict[str, Any]:  # fmt: skip
    item: dict[str, Any] = {
        "requirement": requirement, "kind": kind, "met": met,
        "evidence": "", "position": -1, "max_points": round(max_points, 2),
        "points": round(max_points if met else 0.0, 2) if points is None else round(points, 2),
    }  # fmt: skip
    if found is not None:
        m, term = found
        item.update(evidence=doc.snippet(m.start(), m.end()), position=doc.position(m.start()),
                    matched=term)  # fmt: skip
    item.update(extra)
    return item


def screen(cv_text: str, requirements: dict[str, Any] | None,
           today: dt.date | None = None) -> ScreeningResult:  # fmt: skip
    """Match the CV against the requirements (see the module docstring)."""
    req = requirements or {}
    weights = {**DEFAULT_WEIGHTS, **{k: v for k, v in (req.get("weights") or {}).items()
                                     if isinstance(v, int | float) and v >= 0}}  # fmt: skip
    doc = Folded((cv_text or "")[:MAX_CHARS])
    items: list[dict[str, Any]] = []
    total = 0.0

    skills = [s for s in (req.get("skills") or []) if _alternatives(s)]
    if skills and weights["skills"]:
        total += weights["skills"]
        each = weights["skills"] / len(skills)
        for skill in skills:
            found = _find(doc, _alternatives(skill))
            items.append(_item(skill, "skill", found, doc, each, met=found is not None))

    min_years = req.get("min_years") or 0
    exp = experience_years(doc, today)
    if min_years and weights["experience"]:
        total += weights["experience"]
        w = weights["experience"]
        met = exp["years"] >= float(min_years)
        items.append({
            "requirement": str(min_years), "kind": "experience", "met": met,
            "evidence": exp["evidence"], "position": exp["position"],
            "points": round(w * min(1.0, exp["years"] / float(min_years)), 2),
            "max_points": float(w), "found": exp["years"], "how": exp["how"],
        })  # fmt: skip

    edu = education_level(doc)
    wanted = req.get("education") or ""
    if wanted in LEVELS and wanted and weights["education"]:
        total += weights["education"]
        met = LEVELS.index(edu["level"]) >= LEVELS.index(wanted)
        items.append({
            "requirement": wanted, "kind": "education", "met": met,
            "evidence": edu["evidence"] if edu["level"] else "", "position": edu["position"],
            "points": float(weights["education"]) if met else 0.0,
            "max_points": float(weights["education"]), "found": edu["level"],
        })  # fmt: skip

    languages = [x for x in (req.get("languages") or []) if _alternatives(x)]
    if languages and weights["languages"]:
        total += weights["languages"]
        each = weights["languages"] / len(languages)
        for lang in languages:
            found = _find(doc, _language_terms(lang))
            items.append(_item(lang, "language", found, doc, each, met=found is not None))

    earned = sum(i["points"] for i in items)
    score = round(100 * earned / total) if total else 0
    missing = [
        {"requirement": i["requirement"], "kind": i["kind"], "found": i.get("found", "")}
        for i in items
        if not i["met"]
    ]
    return ScreeningResult(max(0, min(100, score)), items, missing, exp["years"], edu["level"])


# --- near-identical texts --------------------------------------------------------------------


def simhash(text: str) -> str:
    """64-bit SimHash (16 hex digits) of the folded words and word pairs, numbers
    left out (a new phone number or GPA does not make another CV); "" for a
    text without words."""
    words = [w for w in _WORD.findall(fold(text or "")) if not w.isdigit()]
    if not words:
        return ""
    features = Counter(words)
    features.update(" ".join(words[i : i + 2]) for i in range(len(words) - 1))
    vector = [0] * 64
    for feature, weight in features.items():
        h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            vector[bit] += weight if h >> bit & 1 else -weight
    value = sum(1 << bit for bit in range(64) if vector[bit] > 0)
    return f"{value:016x}"


def similarity(a: str, b: str) -> float:
    """1.0 for the same fingerprint, about 0.5 for unrelated texts; 0.0 if one is missing."""
    if not a or not b:
        return 0.0
    try:
        distance = bin(int(a, 16) ^ int(b, 16)).count("1")
    except ValueError:
        return 0.0
    return 1.0 - distance / 64

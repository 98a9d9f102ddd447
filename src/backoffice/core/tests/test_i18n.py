"""Translations: the Vietnamese catalogue is complete, compiled, and used by default.

The UI is Vietnamese first (``LANGUAGE_CODE = "vi"``): every wrapped string must
have a Vietnamese translation, and the committed ``.mo`` files must match the
``.po`` files so that a machine without GNU gettext still shows Vietnamese.
See docs/i18n.md ("Translations").
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.utils import formats, translation

import backoffice

SRC = Path(backoffice.__file__).resolve().parent
LOCALE = SRC / "locale"
LANGS = ("vi", "en")
# Same exclusions as `make messages`.
IGNORE = ["*/tests/*", "*/migrations/*"]


# --- a tiny .po reader (no dependency on polib) --------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = Entry()
        current: tuple[str, int] | None = None
        seen = False
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#~"):
                entry.obsolete = True
                line = line[2:].strip()
            elif line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
                continue
            elif line.startswith("#") or not line:
                continue
            match = _KEYWORD.match(line)
            if match:
                keyword, index, value = match.groups()
                seen = True
                value = _unquote(value)
                if keyword.startswith("msgstr"):
                    current = ("msgstr", int(index or 0))
                    entry.msgstr[current[1]] = value
                else:
                    current = (keyword, 0)
                    setattr(entry, keyword, value)
            elif line.startswith('"') and current is not None:
                value = _unquote(line)
                if current[0] == "msgstr":
                    entry.msgstr[current[1]] += value
                else:
                    setattr(entry, current[0], (getattr(entry, current[0]) or "") + value)
            else:
                raise AssertionError(f"{path}: cannot read line {raw!r}")
        if seen:
            entries.append(entry)
    return entries


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def mo_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.mo"


def messages(lang: str) -> list[Entry]:
    """The catalogue's real entries: not the header, not obsolete ones."""
    return [e for e in read_po(po_path(lang)) if e.msgid and not e.obsolete]


_PLACEHOLDER = re.compile(r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]|%[sd]|\{\w*\}")


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


# --- (a) the catalogue is complete -------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_exists_and_has_no_fuzzy_entries(lang):
    entries = read_po(po_path(lang))
    header = [e for e in entries if e.msgid == "" and not e.obsolete]
    assert len(header) == 1, "the catalogue needs exactly one header"
    assert f"Language: {lang}\n" in header[0].msgstr[0]
    assert "charset=UTF-8" in header[0].msgstr[0]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries in {lang} (check them, then drop the flag): {fuzzy}"
    assert not [e.msgid for e in entries if e.obsolete], "run makemessages --no-obsolete"


def test_vietnamese_catalogue_is_fully_translated():
    entries = messages("vi")
    assert len(entries) > 100
    untranslated = [
        e.msgid
        for e in entries
        if not e.msgstr
        or any(not v.strip() for v in e.msgstr.values())
        or (e.msgid_plural is not None and 0 not in e.msgstr)
    ]
    assert not untranslated, f"untranslated Vietnamese strings: {untranslated}"


def test_vietnamese_translations_keep_placeholders():
    wrong = []
    for e in messages("vi"):
        wanted = placeholders(e.msgid_plural or e.msgid)
        for value in e.msgstr.values():
            got = placeholders(value)
            # A single plural form may drop %(count)s-style numbers only if the
            # singular has none; otherwise the placeholders must be the same.
            if got != wanted and got != placeholders(e.msgid):
                wrong.append((e.msgid, value))
    assert not wrong, f"placeholders changed in translation: {wrong}"


def test_english_catalogue_has_the_same_messages():
    vi = {e.key for e in messages("vi")}
    en = {e.key for e in messages("en")}
    assert vi == en, "run `make messages` so both catalogues carry the same strings"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext not installed")
def test_catalogue_carries_every_string_of_the_code(tmp_path, monkeypatch, settings):
    """makemessages on a copy of the sources finds nothing the catalogue lacks."""
    from django.core.management import call_command

    copy = tmp_path / "backoffice"
    shutil.copytree(
        SRC,
        copy,
        ignore=shutil.ignore_patterns(
            "tests", "migrations", "locale", "static", "var", "__pycache__", "*.js", "*.css"
        ),
    )
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages", locale=["vi"], no_obsolete=True, ignore_patterns=IGNORE, verbosity=0
    )
    wanted = {e.key for e in read_po(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po")}
    wanted.discard((None, ""))
    have = {e.key for e in messages("vi")}
    missing = sorted(msgid for _ctx, msgid in wanted - have)
    stale = sorted(msgid for _ctx, msgid in have - wanted)
    assert not missing, f"strings not in the catalogue; run `make messages`: {missing}"
    assert not stale, f"strings no longer in the code; run `make messages`: {stale}"


# --- (b) the committed .mo matches the .po --------------------------------------------


def _expected_catalog(lang: str) -> dict:
    """What msgfmt puts in the .mo: translated, non-fuzzy entries, plus the header."""
    catalog: dict = {}
    for e in read_po(po_path(lang)):
        if e.obsolete or "fuzzy" in e.flags and e.msgid:
            continue
        if e.msgid == "":
            continue  # compared separately (GNUTranslations parses it)
        if not e.msgstr or any(v == "" for v in e.msgstr.values()):
            continue  # untranslated: msgfmt leaves it out
        msgid = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            catalog[msgid] = e.msgstr[0]
        else:
            for index, value in e.msgstr.items():
                catalog[(msgid, index)] = value
    return catalog


def _mo_catalog(path: Path) -> dict:
    with path.open("rb") as fh:
        translations = gettext.GNUTranslations(fh)
    # _catalog is the parsed .mo (msgid -> msgstr); drop the header entry.
    return {k: v for k, v in translations._catalog.items() if k != ""}


@pytest.mark.parametrize("lang", LANGS)
def test_committed_mo_matches_po(lang):
    assert mo_path(lang).exists(), "run `backoffice manage compilemessages` and commit the .mo"
    assert _mo_catalog(mo_path(lang)) == _expected_catalog(lang), (
        f"{mo_path(lang)} is stale: run `backoffice manage compilemessages` in src/backoffice"
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_po_compiles_cleanly_and_equals_committed_mo(lang, tmp_path):
    fresh = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", str(fresh), str(po_path(lang))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert _mo_catalog(fresh) == _mo_catalog(mo_path(lang))


# --- (c) the desk speaks Vietnamese by default, English on request ------------------


def _login_page(client, **extra):
    response = client.get("/desk/login/", **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_login_page_is_vietnamese_by_default(client, db):
    body = _login_page(client)
    assert '<html lang="vi"' in body
    assert "Đăng nhập" in body
    assert "Log in" not in body


def test_login_page_follows_accept_language(client, db):
    body = _login_page(client, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en"' in body
    assert "Log in" in body
    assert "Đăng nhập" not in body


def test_login_page_follows_language_cookie(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = _login_page(client, HTTP_ACCEPT_LANGUAGE="vi")
    assert '<html lang="en"' in body
    assert "Log in" in body


def test_unknown_language_falls_back_to_vietnamese(client, db):
    body = _login_page(client, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert '<html lang="vi"' in body
    assert "Đăng nhập" in body


def test_dashboard_labels_come_from_our_catalogue(client, company_a, make_user, desk_login):
    from backoffice.core.enums import Role

    desk_login(client, make_user(company_a, roles=[Role.ADMIN]), company_a)
    body = client.get("/desk/").content.decode()
    assert "Phòng ban" in body
    assert "Nhật ký kiểm toán" in body
    body = client.get("/desk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Departments" in body
    assert "Audit log" in body


def test_project_strings_translate():
    from backoffice.core.enums import Role

    with translation.override("vi"):
        assert translation.gettext("Two-factor authentication") == "Xác thực hai lớp"
        assert str(Role.CHIEF_ACCOUNTANT.label) == "Kế toán trưởng"
        assert str(Role.ADMIN.label) == "Quản trị hệ thống"
        assert translation.gettext("Now working in %(name)s.") % {"name": "ACO"} == (
            "Đang làm việc tại ACO."
        )
    with translation.override("en"):
        assert str(Role.CHIEF_ACCOUNTANT.label) == "Chief accountant"


# --- (d) Vietnamese number, date and money formats ---------------------------------


def test_vietnamese_number_format():
    with translation.override("vi"):
        assert formats.number_format(1234567, use_l10n=True) == "1.234.567"
        assert formats.number_format(Decimal("1234567.5"), 2, use_l10n=True) == "1.234.567,50"
        assert formats.number_format(-1234, use_l10n=True) == "-1.234"
    with translation.override("en"):
        assert formats.number_format(1234567, use_l10n=True) == "1,234,567"


def test_vietnamese_date_format():
    with translation.override("vi"):
        assert formats.date_format(date(2026, 3, 5)) == "05/03/2026"
        assert formats.date_format(date(2026, 12, 31), "SHORT_DATE_FORMAT") == "31/12/2026"
        assert formats.date_format(datetime(2026, 3, 5, 8, 7), "DATETIME_FORMAT") == (
            "05/03/2026 08:07"
        )
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
        assert forms.DateField().clean("31/12/2026") == date(2026, 12, 31)


def test_format_vnd():
    from backoffice.core.money import format_vnd

    assert format_vnd(1234567) == "1.234.567 ₫"
    assert format_vnd(-1234567) == "-1.234.567 ₫"
    assert format_vnd(0) == "0 ₫"
    assert format_vnd(Decimal("1234.5")) == "1.235 ₫"  # whole đồng, half up
    assert format_vnd(Decimal("1234567.891"), "USD") == "1.234.567,89 USD"
    assert format_vnd(Decimal("-1234.5"), "USD") == "-1.234,50 USD"
    assert format_vnd(Decimal("0.05"), "usd") == "0,05 USD"

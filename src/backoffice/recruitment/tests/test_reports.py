"""Recruitment reports on a small known dataset: funnel per stage and per
posting, time-to-hire, time in stage, sources; the XLSX; who may see them
(aggregates: the data analyst sees the numbers, never a candidate's name;
another company sees nothing of company A); the CLI."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone

from backoffice.core.exceptions import PermissionDenied
from backoffice.recruitment import exports
from backoffice.recruitment.models import Application, Candidate, StageChange
from backoffice.recruitment.selectors import reports as rep

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(rec):
    """A1 careers page: new 0 → screening 2 → interview 5 → offer 10 → hired 15.
    A2 referral: new 0 → screening 1 → interview 4 → rejected 6.
    A3 careers page: new 0 → screening 3 (in progress).
    A4 job board: new 0 (in progress). All applied 20 days ago."""
    base = timezone.now() - dt.timedelta(days=20)
    s = rec.stages
    plans = [
        ("Nguyễn Văn Một", "careers_page", "hired",
         [("new", 0), ("screening", 2), ("interview", 5), ("offer", 10), ("hired", 15)]),
        ("Trần Thị Hai", "referral", "rejected",
         [("new", 0), ("screening", 1), ("interview", 4), ("rejected", 6)]),
        ("Lê Văn Ba", "careers_page", "active", [("new", 0), ("screening", 3)]),
        ("Phạm Thị Bốn", "job_board", "active", [("new", 0)]),
    ]  # fmt: skip
    for i, (name, source, state, moves) in enumerate(plans):
        cand = Candidate.objects.create(company=rec.company, full_name=name, email=f"c{i}@x.vn")
        last_kind, last_day = moves[-1]
        app = Application.objects.create(
            company=rec.company, candidate=cand, posting=rec.posting, stage=s[last_kind],
            state=state, source=source, applied_at=base,
            stage_entered_at=base + dt.timedelta(days=last_day),
            decided_at=base + dt.timedelta(days=last_day) if state != "active" else None,
        )  # fmt: skip
        prev = None
        for kind, day in moves:
            StageChange.objects.create(application=app, from_stage=prev, to_stage=s[kind],
                                       at=base + dt.timedelta(days=day))  # fmt: skip
            prev = s[kind]
    return rec


def _filters(rec):
    return rep.filters_parse(company=rec.company)


def test_funnel_per_stage_and_posting(data):
    f = rep.funnel(user=data.org.hr_officer, company=data.company, filters=_filters(data))
    assert f["applications"] == 4
    assert f["rejected"] == 1
    assert [(r["kind"], r["reached"]) for r in f["stages"]] == [
        ("new", 4),
        ("screening", 3),
        ("interview", 2),
        ("offer", 1),
        ("hired", 1),
    ]
    assert [r["of_applied"] for r in f["stages"]] == [100.0, 75.0, 50.0, 25.0, 25.0]
    assert [r["of_previous"] for r in f["stages"]] == [None, 75.0, 66.7, 50.0, 100.0]
    (row,) = f["postings"]
    assert row["posting"] == "Lập trình viên Python"
    assert row["applications"] == 4
    assert row["reached_interview"] == 2
    assert row["reached_hired"] == 1
    assert row["hire_rate"] == 25.0


def test_time_to_hire_time_in_stage_and_sources(data):
    user, c, f = data.org.analyst, data.company, _filters(data)
    tth = rep.time_to_hire(user=user, company=c, filters=f)
    assert tth["count"] == 1
    assert tth["median"] == 15.0
    assert tth["average"] == 15.0
    stays = {r["kind"]: r for r in rep.time_in_stage(user=user, company=c, filters=f)["rows"]}
    # new: 2, 1, 3 and 20 (A4 still there); screening: 3, 3, 17 (A3 still there)
    assert stays["new"]["count"] == 4
    assert stays["new"]["median"] == 2.5
    assert stays["new"]["average"] == 6.5
    assert stays["screening"]["median"] == 3.0
    assert stays["screening"]["max"] == 17.0
    assert stays["interview"]["median"] == 3.5
    assert stays["offer"]["average"] == 5.0
    src = {r["source"]: r for r in rep.sources(user=user, company=c, filters=f)["rows"]}
    assert (src["careers_page"]["applications"], src["careers_page"]["interviewed"],
            src["careers_page"]["hired"]) == (2, 1, 1)  # fmt: skip
    assert (src["referral"]["applications"], src["referral"]["interviewed"],
            src["referral"]["hired"]) == (1, 1, 0)  # fmt: skip
    assert src["job_board"]["hire_rate"] == 0.0
    assert src["headhunter"]["hire_rate"] is None


def test_period_and_posting_filters(data):
    c = data.company
    later = rep.filters_parse(company=c, date_from=timezone.localdate())
    assert rep.funnel(user=data.org.hr_officer, company=c, filters=later)["applications"] == 0
    one = rep.filters_parse(company=c, posting=str(data.posting.public_id))
    assert rep.funnel(user=data.org.hr_officer, company=c, filters=one)["applications"] == 4


def test_xlsx_has_every_table(data):
    from openpyxl import load_workbook

    tables = exports.tables(rep.all_reports(user=data.org.hr_manager, company=data.company,
                                            filters=_filters(data)))  # fmt: skip
    wb = load_workbook(io.BytesIO(exports.to_xlsx(tables, data.company)))
    assert len(wb.sheetnames) == 5
    ws = wb[wb.sheetnames[0]]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert f"Đơn vị: {data.company.name}" in values
    assert 4 in values
    assert not any("Nguyễn Văn Một" in str(v) for s in wb for r in s.iter_rows() for v in
                   (c.value for c in r))  # fmt: skip


def test_who_may_see_reports(data, desk_login):
    org = data.org
    for user in (org.staff, org.manager, org.accountant, org.it_officer):
        with pytest.raises(PermissionDenied):
            rep.funnel(user=user, company=data.company, filters=_filters(data))
    # the data analyst: numbers, no names
    client = desk_login(Client(), org.analyst, data.company)
    page = client.get("/desk/recruitment/reports/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Funnel conversion per stage" in body
    for name in ("Nguyễn Văn Một", "Trần Thị Hai", "c0@x.vn"):
        assert name not in body
    xlsx = client.get("/desk/recruitment/reports/?export=xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == exports.XLSX_TYPE
    # a plain employee is refused; company B sees only its own (empty) numbers
    staff = desk_login(Client(), org.staff, data.company)
    assert staff.get("/desk/recruitment/reports/").status_code == 403
    other = rep.funnel(user=org.outsider_hr, company=org.other_company,
                       filters=rep.filters_parse(company=org.other_company))  # fmt: skip
    assert other["applications"] == 0


def test_reports_api_and_cli(data, api_token, tmp_path):
    from click.testing import CliRunner

    from backoffice.cli import main

    org = data.org
    token = api_token(org.analyst, data.company)
    client = Client()
    res = client.get("/api/v1/recruitment/reports", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert res.status_code == 200
    tables = {t["key"]: t for t in res.json()}
    assert tables["funnel"]["rows"][0]["reached"] == 4
    assert "Nguyễn" not in res.content.decode()
    denied = Client().get("/api/v1/recruitment/reports",
                          HTTP_AUTHORIZATION=f"Bearer {api_token(org.staff, data.company)}")  # fmt: skip
    assert denied.status_code == 403
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(main, ["recruitment", "report", "sources", "--company",
                                       data.company.code, "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"applications": 2' in result.output
    result = CliRunner().invoke(main, ["recruitment", "report", "--company", data.company.code,
                                       "--xlsx", str(out)])  # fmt: skip
    assert result.exit_code == 0
    assert out.stat().st_size > 1000

"""Scorecards: one per interviewer per interview, every criterion of the
posting rated 1–5, only a panel member submits theirs; the side-by-side table
(hiring manager and HR see all; an interviewer sees the others' only after
submitting their own; anybody else nothing)."""

from __future__ import annotations

import pytest

from backoffice.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from backoffice.recruitment.services.scorecards import scorecard_submit
from backoffice.recruitment.tests.test_interviews_world import at, schedule

pytest_plugins = ["backoffice.recruitment.tests.test_interviews_world"]

CRITERIA = ["Kỹ năng chuyên môn", "Giao tiếp", "Phù hợp văn hoá"]


def _ratings(a=4, b=3, c=5):
    return dict(zip(CRITERIA, (a, b, c), strict=True))


@pytest.fixture
def panel(iw):
    return schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager, iw.org.staff])


def test_submit_and_rules(iw, panel):
    from backoffice.core.models import AuditEvent

    card = scorecard_submit(actor=iw.org.staff, interview=panel, ratings=_ratings(),
                            overall=4, recommendation="yes", comment="Tốt")  # fmt: skip
    assert [r["criterion"] for r in card.ratings] == CRITERIA
    assert [r["rating"] for r in card.ratings] == [4, 3, 5]
    assert AuditEvent.objects.filter(event_type="SCORECARD_SUBMITTED").count() == 1
    # Once only.
    with pytest.raises(Conflict):
        scorecard_submit(actor=iw.org.staff, interview=panel, ratings=_ratings(), overall=4,
                         recommendation="yes")  # fmt: skip
    # Rows with comments are accepted too.
    rows = [{"criterion": c, "rating": "5", "comment": "ok"} for c in CRITERIA]
    card = scorecard_submit(actor=iw.org.manager, interview=panel, ratings=rows, overall="5",
                            recommendation="strong_yes")  # fmt: skip
    assert card.overall == 5
    assert card.ratings[0]["comment"] == "ok"


@pytest.mark.parametrize(
    ("ratings", "overall", "rec_", "code"),
    [
        ({"Kỹ năng chuyên môn": 4, "Giao tiếp": 3}, 4, "yes", "criterion_missing"),
        ({**_ratings(), "Tiếng Nhật": 3}, 4, "yes", "unknown_criterion"),
        (_ratings(a=6), 4, "yes", "bad_rating"),
        (_ratings(a=0), 4, "yes", "bad_rating"),
        (_ratings(a=True), 4, "yes", "bad_rating"),
        (_ratings(), 9, "yes", "bad_overall"),
        (_ratings(), 4, "maybe", "bad_recommendation"),
        ("4", 4, "yes", "bad_ratings"),
    ],
)
def test_invalid_scorecards(iw, panel, ratings, overall, rec_, code):
    with pytest.raises(ValidationFailed) as exc:
        scorecard_submit(actor=iw.org.staff, interview=panel, ratings=ratings, overall=overall,
                         recommendation=rec_)  # fmt: skip
    assert exc.value.code == code


def test_only_panel_members(iw, panel):
    # HR, the other manager, HR of company B: not on the panel.
    for user in (iw.hr, iw.org.other_manager, iw.org.outsider_hr, "cli"):
        with pytest.raises(PermissionDenied):
            scorecard_submit(actor=user, interview=panel, ratings=_ratings(), overall=3,
                             recommendation="no")  # fmt: skip


def test_cancelled_interview_takes_no_scorecard(iw, panel):
    from backoffice.recruitment.services.interviews import interview_cancel

    interview_cancel(actor=iw.hr, interview=panel)
    panel.refresh_from_db()
    with pytest.raises(Conflict):
        scorecard_submit(actor=iw.org.staff, interview=panel, ratings=_ratings(), overall=3,
                         recommendation="no")  # fmt: skip


def test_posting_without_criteria_has_a_general_one(iw, panel):
    iw.rec.posting.scorecard_criteria = []
    iw.rec.posting.save()
    panel.refresh_from_db()
    from backoffice.recruitment.services.scorecards import criteria_of

    (general,) = criteria_of(panel)
    card = scorecard_submit(actor=iw.org.staff, interview=panel, ratings={general: 2},
                            overall=2, recommendation="no")  # fmt: skip
    assert card.ratings[0]["rating"] == 2


def test_side_by_side_table_visibility(iw, panel):
    from backoffice.recruitment.selectors.interviews import scorecard_table

    scorecard_submit(actor=iw.org.staff, interview=panel, ratings=_ratings(4, 3, 5), overall=4,
                     recommendation="yes")  # fmt: skip
    for user in (iw.hr, iw.org.hr_manager):  # HR: everything
        table = scorecard_table(user=user, company=iw.company, application=iw.application)
        assert not table["held_back"]
        assert len(table["cards"]) == 1
        assert [r["cells"][0]["rating"] for r in table["rows"]] == [4, 3, 5]
    # The manager is the hiring manager too: sees all without submitting.
    table = scorecard_table(user=iw.org.manager, company=iw.company, application=iw.application)
    assert not table["held_back"]
    assert len(table["cards"]) == 1
    assert table["average"] == 4
    assert [v for _label, v in table["votes"]] == [0, 1, 0, 0]


def test_interviewer_sees_others_only_after_submitting(iw):
    from backoffice.recruitment.selectors.interviews import scorecard_table

    # A panel without the hiring manager.
    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.staff, iw.org.other_manager])
    scorecard_submit(actor=iw.org.staff, interview=interview, ratings=_ratings(), overall=4,
                     recommendation="yes")  # fmt: skip
    table = scorecard_table(user=iw.org.other_manager, company=iw.company,
                            application=iw.application)  # fmt: skip
    assert table["held_back"]
    assert table["cards"] == []
    scorecard_submit(actor=iw.org.other_manager, interview=interview, ratings=_ratings(2, 2, 2),
                     overall=2, recommendation="no")  # fmt: skip
    table = scorecard_table(user=iw.org.other_manager, company=iw.company,
                            application=iw.application)  # fmt: skip
    assert not table["held_back"]
    assert len(table["cards"]) == 2
    assert table["rows"][0]["average"] == 3


def test_others_see_no_table(iw, panel):
    from backoffice.recruitment.selectors.interviews import scorecard_table

    for user, company in ((iw.org.other_manager, iw.company), (iw.org.director, iw.company),
                          (iw.org.outsider_hr, iw.org.other_company)):  # fmt: skip
        with pytest.raises(NotFound):
            scorecard_table(user=user, company=company, application=iw.application)

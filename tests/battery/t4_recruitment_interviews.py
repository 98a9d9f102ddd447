"""T4 table of the recruitment interviews area (scheduling, ICS, scorecards).

No desk model screen: interviews, invitations and scorecards are pages of the
``recruitment`` namespace. Who may open each — HR (``recruitment.view_application``
/ ``manage_interview``) every interview; an interviewer only the interviews
they sit on (the scorecard form only for their own scorecard); the hiring
manager their posting's interviews and scorecards; an employee not on the
panel and another company nothing (404: agenda, detail, ICS, scorecard form,
side-by-side page, scheduling form) — is proven in
``src/backoffice/recruitment/tests/test_interviews_desk.py`` (desk),
``test_interviews_api.py`` (API) and ``test_scorecards.py``.
"""

from __future__ import annotations

DESK: dict = {}
EXTRA_URLS: dict[str, str] = {}
APP_URLS = {
    "recruitment": {
        "interviews", "interview_new", "interview_detail", "interview_ics",
        "interview_scorecard", "scorecards",
    },
}  # fmt: skip

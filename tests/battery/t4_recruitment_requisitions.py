"""T4 table of the recruitment requisitions, postings and settings area.

No desk model screen: requisitions, postings, stages, e-mail templates and
rooms are pages of the ``recruitment`` namespace. Who may open each (view or
manage requisition / posting, manage settings; a hiring manager reads their
own requisitions and postings; a role without permission and another
company see nothing: list, detail, API) is proven in
``src/backoffice/recruitment/tests/test_requisitions.py``,
``test_postings.py`` and ``test_settings.py``.
"""

from __future__ import annotations

DESK: dict = {}
EXTRA_URLS: dict[str, str] = {}
APP_URLS = {
    "recruitment": {
        "requisitions", "requisition_new", "requisition_detail",
        "postings", "posting_new", "posting_detail",
        "settings",
    },
}  # fmt: skip

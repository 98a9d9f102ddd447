"""T4 table of the recruitment careers area: no desk model screens.

The public pages (namespace ``careers``: the careers index, a company's
postings, a posting with its application form, applying, the candidate's
status link) need no login by design; what they may show (only open
postings of that company, only the application of the link's token) is
proven in ``src/backoffice/recruitment/tests/test_careers.py`` and
``test_retention.py``. The desk page "Add candidate" (``candidate_add``) needs
``recruitment.manage_application`` (HR officer, HR manager) and offers only
the active company's postings (``test_careers.py::test_desk_add_candidate``).
"""

from __future__ import annotations

DESK: dict = {}
EXTRA_URLS: dict[str, str] = {}
APP_URLS = {
    "careers": {"index", "company", "posting", "apply", "status"},
    "recruitment": {"candidate_add"},
}

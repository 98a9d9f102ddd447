"""T4 table of the recruitment offers, hire and reports area.

No desk model screen: offers, the offer letter and the reports are pages of
the ``recruitment`` namespace. Who may open each is proven in
``src/backoffice/recruitment/tests/test_offers_web.py`` (offers list, new,
detail, letter: ``recruitment.view_offer`` / ``manage_offer`` only; the
hiring manager, the director, the data analyst, an employee get 403 and no
salary; another company's offer is a 404 and a forged POST changes nothing),
``test_offers.py`` (salaries on the application panel only with
``view_offer``) and ``test_reports.py`` (reports: HR, director, data analyst —
aggregates, no candidate name; others 403; another company sees only its
own numbers; API and CLI).
"""

from __future__ import annotations

DESK: dict = {}
EXTRA_URLS: dict[str, str] = {}
APP_URLS = {
    "recruitment": {"offers", "offer_new", "offer_detail", "offer_letter", "reports"},
}

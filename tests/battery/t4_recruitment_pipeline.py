"""T4 table of the recruitment pipeline area (board, candidates, applications).

No desk model screen: the kanban board, the candidates list, a candidate and
an application are pages of the ``recruitment`` namespace. Who may open each
is proven in ``src/backoffice/recruitment/tests/test_pipeline_desk_api.py``:
HR (``recruitment.view_application``) sees every application and acts
(``manage_application``); the hiring manager of a posting sees that posting's
board and applications read-only (a POST is 403) and nothing of another
posting (404); an employee, the accountant, the director and company B's HR
officer get 403/404 on the board, the candidate and the application pages,
and the candidates list shows them nothing; the same over the API
(``/api/v1/recruitment/applications``, ``/candidates``: empty lists, 404 on
details and actions).
"""

from __future__ import annotations

DESK: dict = {}
EXTRA_URLS: dict[str, str] = {}
APP_URLS = {
    "recruitment": {"board", "candidates", "candidate_detail", "application_detail"},
}

"""An employee on an interview panel scores the candidate from the portal (no
desk access): their interviews only, the scorecard form with the posting's
criteria, the others' scorecards only once theirs is in; nobody else (another
employee, another company) reaches the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backoffice.recruitment.models import Scorecard
from backoffice.recruitment.tests.test_interviews_world import at, schedule

pytest_plugins = ["backoffice.recruitment.tests.test_interviews_world"]
pytestmark = pytest.mark.django_db


def answers(**over):
    data = {"rating_0": "4", "rating_1": "5", "rating_2": "3", "comment_0": "Nắm vững Django",
            "overall": "4", "recommendation": "yes", "comment": "Nên tuyển"}  # fmt: skip
    data.update(over)
    return data


def test_the_panel_scores_from_the_portal(iw, django_capture_on_commit_callbacks, portal):
    from django.core import mail

    org = iw.org
    with django_capture_on_commit_callbacks(execute=True):
        interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [org.staff, org.manager])
    url = reverse("portal:interview", args=[interview.public_id])
    # the panel's invitation points to the portal page
    assert any(url in m.body for m in mail.outbox if "nv@a.vn" in m.to)

    staff = portal(org.staff, iw.company)
    home = staff.get(reverse("portal:home")).content.decode()
    assert reverse("portal:interviews") in home
    listing = staff.get(reverse("portal:interviews")).content.decode()
    assert "Phạm Minh Tuấn" in listing
    page = staff.get(url).content.decode()
    for criterion in ("Kỹ năng chuyên môn", "Giao tiếp", "Phù hợp văn hoá"):
        assert criterion in page

    # a missing rating: a clear error, nothing stored, the answers kept
    bad = staff.post(url, answers(rating_1=""))
    assert bad.status_code == 422
    assert "Giao tiếp" in bad.content.decode()
    assert 'value="Nắm vững Django"' in bad.content.decode()
    assert not Scorecard.objects.exists()

    done = staff.post(url, answers())
    assert done.status_code == 302
    card = Scorecard.objects.get(interview=interview, interviewer=org.staff)
    assert [r["rating"] for r in card.ratings] == [4, 5, 3]
    assert (card.overall, card.recommendation) == (4, "yes")

    # the manager has not scored yet: they do not see the staff's card
    manager = portal(org.manager, iw.company)
    assert "Nắm vững Django" not in manager.get(url).content.decode()
    manager.post(url, answers(rating_0="2", comment_0="Chưa rõ kiến trúc", overall="3",
                              recommendation="no"))  # fmt: skip
    side_by_side = manager.get(url).content.decode()
    assert "Nắm vững Django" in side_by_side
    assert "Chưa rõ kiến trúc" in side_by_side
    # a second submission is refused, the first one stays
    again = staff.post(url, answers(overall="1"))
    assert again.status_code == 200
    assert Scorecard.objects.get(pk=card.pk).overall == 4


def test_only_the_panel_reaches_the_page(iw, make_user, make_employee, company_b, portal):
    from backoffice.core.enums import Role

    org = iw.org
    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [org.manager])
    url = reverse("portal:interview", args=[interview.public_id])
    # an employee of the company who is not on the panel
    staff = portal(org.staff, iw.company)
    assert staff.get(url).status_code == 404
    assert staff.post(url, answers()).status_code == 404
    assert "Phạm Minh Tuấn" not in staff.get(reverse("portal:interviews")).content.decode()
    # an employee of another company
    other = make_user(company_b, roles=[Role.EMPLOYEE], email="nv@b.vn", is_staff=False)
    make_employee(company_b, user=other, full_name="Người Công Ty B")
    outsider = portal(other, company_b)
    assert outsider.get(url).status_code == 404
    assert "Phạm Minh Tuấn" not in outsider.get(reverse("portal:interviews")).content.decode()
    assert not Scorecard.objects.exists()

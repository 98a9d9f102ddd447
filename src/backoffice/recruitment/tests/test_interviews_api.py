"""Interviews API: schedule (409 clash, force), slots, reschedule, cancel, ICS,
scorecards; an interviewer sees only theirs; company B and people off the
panel get 404."""

from __future__ import annotations

import json

from django.test import Client
from icalendar import Calendar

from backoffice.recruitment.tests.test_interviews_world import at, make_application, schedule

pytest_plugins = ["backoffice.recruitment.tests.test_interviews_world"]
BASE = "/api/v1/recruitment"


def _api(api_token, user, company):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}",
                  HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip


def _post(client, path, data):
    return client.post(BASE + path, json.dumps(data), content_type="application/json")


def test_schedule_slots_reschedule_cancel(iw, api_token):
    hr = _api(api_token, iw.hr, iw.company)
    panel = [str(iw.org.manager.public_id), str(iw.org.staff.public_id)]
    slots = _post(hr, "/interviews/slots", {
        "interviewer_ids": panel, "day_from": iw.day.isoformat(), "day_to": iw.day.isoformat(),
        "duration_minutes": 60, "step_minutes": 60, "room_id": str(iw.room.public_id)})  # fmt: skip
    assert slots.status_code == 200, slots.content
    assert len(slots.json()) == 8
    first = slots.json()[0]
    res = _post(hr, "/interviews", {
        "application_id": str(iw.application.public_id), "starts_at": first["starts_at"],
        "ends_at": first["ends_at"], "interviewer_ids": panel,
        "room_id": str(iw.room.public_id), "title": "Vòng 1"})  # fmt: skip
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["sequence"] == 0
    assert body["room"] == "Phòng họp Sen"
    assert {p["email"] for p in body["interviewers"]} == {"tp@a.vn", "nv@a.vn"}
    iid = body["id"]
    # The same panel again at that time: 409 naming the clash.
    other = make_application(iw.rec, name="Lê Văn Bình", email="binh@example.vn")
    clash = _post(hr, "/interviews", {
        "application_id": str(other.public_id), "starts_at": first["starts_at"],
        "ends_at": first["ends_at"], "interviewer_ids": panel[:1]})  # fmt: skip
    assert clash.status_code == 409
    assert clash.json()["code"] == "interview_clash"
    assert "Hoàng Trưởng Phòng" in clash.json()["message"]
    assert clash.json()["extra"]["clashes"][0]["who"] == "Hoàng Trưởng Phòng"
    forced = _post(hr, "/interviews", {
        "application_id": str(other.public_id), "starts_at": first["starts_at"],
        "ends_at": first["ends_at"], "interviewer_ids": panel[:1], "force": True})  # fmt: skip
    assert forced.status_code == 201
    moved = _post(hr, f"/interviews/{iid}/reschedule", {
        "starts_at": at(iw.day, 14).isoformat(), "ends_at": at(iw.day, 15).isoformat()})  # fmt: skip
    assert moved.status_code == 200, moved.content
    assert moved.json()["sequence"] == 1
    assert moved.json()["uid"] == body["uid"]
    ics = hr.get(f"{BASE}/interviews/{iid}/ics")
    assert ics.status_code == 200
    event = next(iter(Calendar.from_ical(ics.content).walk("VEVENT")))
    assert int(event["sequence"]) == 1
    cancelled = _post(hr, f"/interviews/{iid}/cancel", {"reason": "Ứng viên bận"})
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == "cancelled"
    assert str(Calendar.from_ical(hr.get(f"{BASE}/interviews/{iid}/ics").content)["method"]) == (
        "CANCEL")  # fmt: skip
    assert _post(hr, f"/interviews/{iid}/cancel", {}).status_code == 409


def test_list_scope_and_other_company(iw, api_token):
    mine = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.staff])
    other = make_application(iw.rec, name="Lê Văn Bình", email="binh@example.vn")
    theirs = schedule(iw, at(iw.day, 13), at(iw.day, 14), [iw.org.other_manager],
                      application=other, room=None)  # fmt: skip

    def ids(client):
        res = client.get(f"{BASE}/interviews")
        assert res.status_code == 200
        return {i["id"] for i in res.json()["items"]}

    assert ids(_api(api_token, iw.hr, iw.company)) == {str(mine.public_id), str(theirs.public_id)}
    staff = _api(api_token, iw.org.staff, iw.company)
    assert ids(staff) == {str(mine.public_id)}
    assert staff.get(f"{BASE}/interviews/{theirs.public_id}").status_code == 404
    assert staff.get(f"{BASE}/interviews/{theirs.public_id}/ics").status_code == 404
    # A panel member does not schedule or cancel.
    assert _post(staff, f"/interviews/{mine.public_id}/cancel", {}).status_code == 403
    assert _post(staff, "/interviews/slots", {
        "interviewer_ids": [str(iw.org.staff.public_id)], "day_from": iw.day.isoformat(),
        "day_to": iw.day.isoformat()}).status_code == 403  # fmt: skip
    for user, company in (
        (iw.org.director, iw.company),
        (iw.org.outsider_hr, iw.org.other_company),
    ):
        client = _api(api_token, user, company)
        assert ids(client) == set()
        for path in ("", "/ics", "/scorecards"):
            res = client.get(f"{BASE}/interviews/{mine.public_id}{path}")
            assert res.status_code == 404, (user, path)
            assert "Phạm Minh Tuấn" not in res.text
        res = client.get(f"{BASE}/applications/{iw.application.public_id}/scorecards")
        assert res.status_code == 404
    # HR of company B cannot schedule company A's application (its id is unknown there).
    outsider = _api(api_token, iw.org.outsider_hr, iw.org.other_company)
    res = _post(outsider, "/interviews", {
        "application_id": str(iw.application.public_id), "starts_at": at(iw.day, 9).isoformat(),
        "ends_at": at(iw.day, 10).isoformat(),
        "interviewer_ids": [str(iw.org.outsider_hr.public_id)]})  # fmt: skip
    assert res.status_code == 404


def test_scorecards_api(iw, api_token):
    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.staff, iw.org.other_manager])
    staff = _api(api_token, iw.org.staff, iw.company)
    ratings = [{"criterion": c, "rating": 4} for c in iw.rec.posting.scorecard_criteria]
    res = _post(staff, f"/interviews/{interview.public_id}/scorecards",
                {"ratings": ratings, "overall": 4, "recommendation": "yes"})  # fmt: skip
    assert res.status_code == 201, res.content
    assert res.json()["interviewer"]["email"] == "nv@a.vn"
    again = _post(staff, f"/interviews/{interview.public_id}/scorecards",
                  {"ratings": ratings, "overall": 4, "recommendation": "yes"})  # fmt: skip
    assert again.status_code == 409
    hr = _api(api_token, iw.hr, iw.company)
    assert _post(hr, f"/interviews/{interview.public_id}/scorecards",
                 {"ratings": ratings, "overall": 4, "recommendation": "yes"}).status_code == 403  # fmt: skip
    table = hr.get(f"{BASE}/applications/{iw.application.public_id}/scorecards").json()
    assert len(table["scorecards"]) == 1
    assert table["held_back"] is False
    other = _api(api_token, iw.org.other_manager, iw.company)
    table = other.get(f"{BASE}/interviews/{interview.public_id}/scorecards").json()
    assert table["held_back"] is True
    assert table["scorecards"] == []

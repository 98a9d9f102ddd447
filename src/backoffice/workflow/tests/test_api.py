"""The workflow API: the same operations as the desk, and the same refusals."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backoffice.core.enums import Role
from backoffice.workflow import services

pytestmark = pytest.mark.django_db

BASE = "/api/v1/workflow"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client(api_token, user, company):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}")


def test_expense_claim_through_the_api(org, api_token):
    staff = _client(api_token, org.staff, org.company)
    r = staff.post(f"{BASE}/expense-claims", {
        "title": "Tiếp khách",
        "lines": [{"date": "2026-11-02", "description": "Nhà hàng", "category": "meals",
                   "amount": "1500000", "vat_rate": 8}],
    }, content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    claim = r.json()
    assert claim["total"] == "1620000.00"
    assert claim["state"] == "draft"
    upload = SimpleUploadedFile("hd.pdf", PDF, content_type="application/pdf")
    r = staff.post(f"{BASE}/expense-claims/{claim['id']}/receipts", {"file": upload})
    assert r.status_code == 201, r.content
    assert len(staff.get(f"{BASE}/expense-claims/{claim['id']}/receipts").json()) == 1
    r = staff.post(f"{BASE}/expense-claims/{claim['id']}/submit")
    assert r.status_code == 200
    assert r.json()["state"] == "submitted"
    req_id = r.json()["approval_id"]

    # The requester cannot decide; the chief accountant not yet (manager first).
    r = staff.post(f"{BASE}/requests/{req_id}/decide", {"approve": True},
                   content_type="application/json")  # fmt: skip
    assert r.status_code == 403
    assert r.json()["code"] == "self_approval"
    manager = _client(api_token, org.manager, org.company)
    pending = manager.get(f"{BASE}/requests/pending").json()
    assert [p["id"] for p in pending] == [req_id]
    r = manager.post(f"{BASE}/requests/{req_id}/decide", {"approve": True, "comment": "OK"},
                     content_type="application/json")  # fmt: skip
    assert r.status_code == 200, r.content
    chief = _client(api_token, org.chief, org.company)
    r = chief.post(f"{BASE}/requests/{req_id}/decide", {"approve": True},
                   content_type="application/json")  # fmt: skip
    body = r.json()
    assert body["state"] == "approved"
    assert [(d["actor"]["email"], d["comment"]) for d in body["decisions"]] == [
        ("tp@a.vn", "OK"), ("ktt@a.vn", "")]  # fmt: skip
    assert staff.get(f"{BASE}/expense-claims/{claim['id']}").json()["state"] == "approved"


def test_other_company_and_colleagues_see_nothing(org, api_token, company_b, make_user):
    claim = services.expense_claim_create(actor=org.staff, company=org.company, title="Riêng",
                                          lines=[{"description": "x", "amount": 100}])  # fmt: skip
    services.expense_claim_submit(actor=org.staff, company=org.company, claim=claim)
    req = claim.approval
    outsider = make_user(company_b, roles=[Role.OPERATIONS_MANAGER])
    for c in (_client(api_token, outsider, company_b), _client(api_token, org.other, org.company)):
        assert c.get(f"{BASE}/requests").json()["count"] == 0
        assert c.get(f"{BASE}/expense-claims").json()["count"] == 0
        assert c.get(f"{BASE}/requests/{req.public_id}").status_code == 404
        assert c.get(f"{BASE}/expense-claims/{claim.public_id}").status_code == 404
        r = c.post(f"{BASE}/requests/{req.public_id}/decide", {"approve": True},
                   content_type="application/json")  # fmt: skip
        assert r.status_code == 404
        assert c.post(f"{BASE}/expense-claims/{claim.public_id}/withdraw").status_code == 404
    req.refresh_from_db()
    assert req.state == "pending"
    # The operations manager of A sees the company's requests.
    ops = make_user(org.company, roles=[Role.OPERATIONS_MANAGER])
    assert _client(api_token, ops, org.company).get(f"{BASE}/requests").json()["count"] == 1


def test_tasks_workload_and_policies(org, api_token, make_user):
    manager = _client(api_token, org.manager, org.company)
    r = manager.post(
        f"{BASE}/tasks",
        {
            "title": "Gửi báo giá",
            "assignee_id": str(org.staff.public_id),
            "due_date": "2026-01-05",
            "estimated_hours": "2.5",
            "checklist": ["Soạn", "Gửi"],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    task = r.json()
    staff = _client(api_token, org.staff, org.company)
    assert staff.get(f"{BASE}/my-work").json()["tasks"][0]["title"] == "Gửi báo giá"
    item = task["checklist"][0]["id"]
    r = staff.post(f"{BASE}/tasks/{task['id']}/checklist/{item}", {"done": True},
                   content_type="application/json")  # fmt: skip
    assert r.json()["done"] is True
    assert [p["name"] for p in staff.get(f"{BASE}/workload").json()["people"]] == ["Nhân Viên"]
    people = manager.get(f"{BASE}/workload").json()["people"]
    assert [(p["name"], p["overdue"], p["hours"]) for p in people] == [("Nhân Viên", 1, "2.50")]
    # A colleague cannot assign work to the manager's team member; nor see the task.
    other = _client(api_token, org.other, org.company)
    assert other.get(f"{BASE}/tasks/{task['id']}").status_code == 404
    r = other.post(f"{BASE}/tasks", {"title": "x", "assignee_id": str(org.staff.public_id)},
                   content_type="application/json")  # fmt: skip
    assert r.status_code == 403
    # Policies: administrators edit, employees are refused.
    assert staff.get(f"{BASE}/policies").status_code == 403
    admin_user = make_user(org.company, roles=[Role.ADMIN])
    admin_c = _client(api_token, admin_user, org.company)
    policies = admin_c.get(f"{BASE}/policies").json()["items"]
    exp = next(p for p in policies if p["request_type"] == "expense")
    r = admin_c.put(f"{BASE}/policies/{exp['id']}", {
        "request_type": "expense", "name": "Chi phí",
        "steps": [{"name": "Trưởng phòng", "approver_kind": "manager"},
                  {"name": "Giám đốc", "approver_kind": "role", "role": "operations_manager",
                   "min_amount": "5000000"}]}, content_type="application/json")  # fmt: skip
    assert r.status_code == 200, r.content
    assert [s["name"] for s in r.json()["steps"]] == ["Trưởng phòng", "Giám đốc"]


def test_my_work_queries_do_not_grow_with_the_number_of_tasks(org, api_token):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = _client(api_token, org.staff, org.company)

    def my_work_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            r = staff.get(f"{BASE}/my-work")
        assert r.status_code == 200, r.content
        return len(ctx), len(r.json()["tasks"])

    def add(title: str, checklist: list[str]) -> None:
        services.task_create(
            actor=org.staff, company=org.company, assignee=org.staff, title=title,
            checklist=checklist,
        )  # fmt: skip

    add("Việc 1", ["a", "b"])
    my_work_queries()  # warm up: the first request makes one-off queries
    one, n = my_work_queries()
    assert n == 1
    for i in range(2, 5):
        add(f"Việc {i}", ["a"])
    four, n = my_work_queries()
    assert n == 4
    assert four == one

"""`backoffice workflow tick` and `default-policies`."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from backoffice.cli import main
from backoffice.workflow import services
from backoffice.workflow.models import ApprovalPolicy

pytestmark = pytest.mark.django_db


def test_tick_is_idempotent(org):
    services.task_create(actor=org.manager, company=org.company, assignee=org.staff, title="Trễ",
                         due_date=services.today() - timedelta(days=1))  # fmt: skip
    runner = CliRunner()
    r = runner.invoke(main, ["workflow", "tick", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == [{"created": 0, "escalated": 1}]
    r = runner.invoke(main, ["workflow", "tick", "--company", "ACO", "--format", "json"])
    assert json.loads(r.output) == [{"created": 0, "escalated": 0}]
    r = runner.invoke(main, ["workflow", "tick", "--company", "NOPE"])
    assert r.exit_code == 2
    assert "unknown company" in r.output


def test_default_policies_for_existing_companies(company_a):
    assert not ApprovalPolicy.objects.filter(company=company_a).exists()
    r = CliRunner().invoke(main, ["workflow", "default-policies", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert {"company": "ACO", "created": "expense, purchase"} in json.loads(r.output)
    r = CliRunner().invoke(main, ["workflow", "default-policies", "--format", "json"])
    assert {"company": "ACO", "created": ""} in json.loads(r.output)

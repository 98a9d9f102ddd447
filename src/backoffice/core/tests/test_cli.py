import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from backoffice.cli import main
from backoffice.core.models import Company

SUBCOMMANDS = [
    ["serve"],
    ["demo"],
    ["company"],
    ["company", "create"],
    ["company", "list"],
    ["backup"],
    ["restore"],
    ["audit"],
    ["audit", "verify"],
    ["jobs"],
    ["jobs", "list"],
    ["jobs", "watch"],
]


@pytest.mark.parametrize("args", SUBCOMMANDS, ids=lambda a: " ".join(a))
def test_every_subcommand_has_help(args):
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_company_create_and_list(db):
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "company",
            "create",
            "--code",
            "ACME",
            "--name",
            "Công ty ACME",
            "--chart",
            "tt133",
            "--fiscal-year-start",
            "04-01",
        ],
    )
    assert result.exit_code == 0, result.output
    company = Company.objects.get(code="ACME")
    assert (company.chart, company.fiscal_year_start) == ("tt133", "04-01")
    listed = runner.invoke(main, ["company", "list", "--format", "json"])
    assert json.loads(listed.output)[0]["code"] == "ACME"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--code", "X", "--name", "X", "--fiscal-year-start", "2026-01"], "MM-DD"),
        (["--code", "X", "--name", "X", "--chart", "tt200"], "tt200"),
        (["--name", "X"], "--code"),
    ],
)
def test_company_create_rejects_bad_input(db, args, message):
    result = CliRunner().invoke(main, ["company", "create", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not Company.objects.exists()


def test_audit_verify_ok_on_a_fresh_chain(db, company_a):
    from backoffice.core.audit import audit_record

    audit_record(event_type="TEST", company=company_a)
    result = CliRunner().invoke(main, ["audit", "verify", "--no-anchor"])
    assert result.exit_code == 0, result.output
    assert "audit chain ok: 1 events" in result.output


def test_cli_honours_backoffice_home(tmp_path):
    """Two installations never share state: the CLI uses BACKOFFICE_HOME's own database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["BACKOFFICE_HOME"] = str(tmp_path)
    run = [sys.executable, "-m", "backoffice"]
    subprocess.run([*run, "manage", "migrate", "-v0"], env=env, check=True)
    done = subprocess.run(
        [*run, "company", "create", "--code", "H1", "--name", "Home one"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "backoffice.sqlite3").exists()
    assert (tmp_path / "secret_key").exists()
    listed = subprocess.run(
        [*run, "company", "list", "--format", "csv"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert listed.stdout.splitlines() == [
        "code,name,currency,chart,active",
        "H1,Home one,VND,tt99,True",
    ]


def test_demo_is_deterministic_and_prints_the_accounts_every_time(db):
    from django.db import transaction

    from backoffice.core.demo import demo_create
    from backoffice.core.models import Department, User

    with transaction.atomic():  # a first demo with the same seed, rolled back
        demo_create(employees=5, seed=7)
        earlier = list(
            User.objects.filter(is_staff=False, email__startswith="nv")
            .order_by("email")
            .values_list("full_name", flat=True)
        )
        transaction.set_rollback(True)
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "--employees", "5", "--seed", "7"])
    assert first.exit_code == 0, first.output
    assert "ketoantruong@demo.backoffice.vn" in first.output
    names = list(
        User.objects.filter(is_staff=False, email__startswith="nv")
        .order_by("email")
        .values_list("full_name", flat=True)
    )
    assert len(names) == 5  # the employees' portal accounts (collaborators are ctv...)
    assert names == earlier  # deterministic for a seed
    assert Department.objects.filter(company__code="DEMO").count() == 8
    again = runner.invoke(main, ["demo", "--if-missing"])
    assert again.exit_code == 0
    assert "already exists" in again.output
    assert "ketoantruong@demo.backoffice.vn" in again.output
    refused = runner.invoke(main, ["demo"])
    assert refused.exit_code == 1


@pytest.mark.django_db
def test_keys_rotate_reseals_everything_and_status_counts_what_is_left(company_a):
    from backoffice.core import keys
    from backoffice.core.models import User

    keys.forget_generation()
    try:
        from backoffice.core import mfa
        from backoffice.core.models import TOTPDevice

        user = User.objects.create_user("k@example.vn", full_name="K")
        TOTPDevice.objects.create(user=user, name="t", encrypted_key=mfa.seal_secret(b"x" * 20))
        runner = CliRunner()
        before = runner.invoke(main, ["keys", "status"])
        assert before.exit_code == 0, before.output
        assert "key generation 1: 0 values on older ones" in before.output
        rotated = runner.invoke(main, ["keys", "rotate"])
        assert rotated.exit_code == 0, rotated.output
        assert "key generation 2: 1 values re-sealed, 0 on an older generation" in rotated.output
        assert mfa.unseal_secret(TOTPDevice.objects.get(user=user).encrypted_key) == b"x" * 20
    finally:
        keys.forget_generation()

"""Core subcommands: serve, demo, company, backup/restore, audit, keys, jobs, manage."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click

from backoffice.cli import EXIT_USAGE, emit, fail, format_option, progress_printer, setup_django


def register(main: click.Group) -> None:
    for command in (serve, demo, company, backup, restore, audit, keys, jobs, manage):
        main.add_command(command)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Web worker processes.",
)
@click.option("--no-job-worker", is_flag=True, help="Do not start the background job worker.")
def serve(host: str, port: int, workers: int, no_job_worker: bool) -> None:
    """Serve the web application and its job worker (migrates first)."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    env = dict(os.environ)
    if host in ("127.0.0.1", "localhost", "::1"):
        # Plain HTTP is fine on the loopback; behind TLS, BACKOFFICE_HTTPS=1 (the default).
        env.setdefault("BACKOFFICE_HTTPS", "0")
    procs = [
        subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            [
                sys.executable,
                "-m",
                "gunicorn",
                "backoffice.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
                "--forwarded-allow-ips",
                "127.0.0.1",
            ],
            env=env,
        )
    ]
    if not no_job_worker:
        procs.append(
            subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "backoffice", "manage", "db_worker", "--interval", "1"],
                env=env,
            )
        )
    click.echo(f"Back Office on http://{host}:{port}/desk/  (Ctrl+C to stop)")

    def stop(*_args) -> None:
        for p in procs:
            if p.poll() is None:
                p.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


@click.command()
@click.option("--employees", default=30, show_default=True, type=click.IntRange(1, 100000))
@click.option("--years", default=1, show_default=True, type=click.IntRange(1, 20))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--if-missing", is_flag=True, help="Do nothing if the demo company exists.")
def demo(employees: int, years: int, seed: int, if_missing: bool) -> None:
    """Create a realistic demo company (deterministic for a seed)."""
    setup_django()
    from backoffice.core.demo import DEMO_CODE, demo_create, demo_exists

    if if_missing and demo_exists():
        from backoffice.core.demo import demo_login_help

        click.echo(f"Demo company {DEMO_CODE} already exists.")
        click.echo(demo_login_help())
        return
    try:
        summary = demo_create(employees=employees, years=years, seed=seed)
    except Exception as exc:  # shown, not a traceback
        fail(str(exc))
    click.echo(summary)


@click.group()
def company() -> None:
    """Companies (legal entities)."""


@company.command("create")
@click.option("--code", required=True)
@click.option("--name", required=True)
@click.option("--currency", default="VND", show_default=True)
@click.option(
    "--chart", type=click.Choice(["tt99", "tt133", "none"]), default="tt99", show_default=True
)
@click.option("--fiscal-year-start", default="01-01", show_default=True, help="MM-DD")
@click.option("--tax-code", default="")
def company_create(code, name, currency, chart, fiscal_year_start, tax_code) -> None:
    """Create a company with its books."""
    setup_django()
    from backoffice.core.exceptions import ApplicationError
    from backoffice.core.services import company_create as create

    try:
        c = create(
            actor="cli",
            code=code,
            name=name,
            currency=currency,
            chart=chart,
            fiscal_year_start=fiscal_year_start,
            tax_code=tax_code,
        )
    except ApplicationError as exc:
        fail(exc.message, EXIT_USAGE)
    click.echo(f"Created company {c.code} ({c.name}).")


@company.command("list")
@format_option
def company_list(fmt: str) -> None:
    """List companies."""
    setup_django()
    from backoffice.core.models import Company

    rows = [
        {
            "code": c.code,
            "name": c.name,
            "currency": c.currency,
            "chart": c.chart,
            "active": c.is_active,
        }
        for c in Company.objects.order_by("code")
    ]
    emit(rows, fmt, ["code", "name", "currency", "chart", "active"])


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
def backup(file: str) -> None:
    """Consistent online backup of the database and documents into FILE."""
    setup_django()
    from backoffice.core.backup import backup_create
    from backoffice.core.exceptions import ApplicationError

    bar = progress_printer("backup")
    try:
        manifest = backup_create(file, progress=bar, actor="cli")
    except ApplicationError as exc:
        bar.close()
        fail(exc.message)
    except OSError as exc:
        bar.close()
        fail(f"cannot write {file}: {exc.strerror or exc}")
    bar.close()
    click.echo(
        f"Backup written to {file} ({len(manifest['files'])} files, "
        f"database {manifest['database']['vendor']})."
    )


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(file: str, yes: bool) -> None:
    """Verify FILE, then replace the database and documents with it."""
    setup_django()
    from backoffice.core.backup import backup_restore, backup_verify
    from backoffice.core.exceptions import ApplicationError

    if not os.path.isfile(file):
        fail(f"no such file: {file}", EXIT_USAGE)
    try:
        manifest = backup_verify(file)
    except ApplicationError as exc:
        fail(f"{file} was not restored: {exc.message}")
    if not yes:
        if not sys.stdin.isatty():
            fail("restore replaces all current data; pass --yes to confirm", EXIT_USAGE)
        click.confirm("This replaces all current data. Continue?", abort=True)
    try:
        result = backup_restore(file, manifest=manifest, actor="cli")
    except ApplicationError as exc:
        fail(f"{file} was not restored: {exc.message}")
    except OSError as exc:
        fail(f"restore from {file} failed: {exc}")
    click.echo(
        f"Restored from {file} (taken {manifest['created_at']}, {len(manifest['files'])} files)."
    )
    if not result["audit_ok"]:
        fail(
            f"the restored audit chain does not verify at event "
            f"#{result['audit_first_bad_seq']}: {result['audit_reason']}"
        )


@click.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
@click.option("--no-anchor", is_flag=True, help="Ignore and do not update the saved head.")
def audit_verify(no_anchor: bool) -> None:
    """Check the audit log's hash chain; non-zero exit naming the first bad event."""
    setup_django()
    from backoffice.core.audit import audit_verify as verify
    from backoffice.core.audit import write_anchor

    bar = progress_printer("verify")
    result = verify(progress=bar, use_anchor=not no_anchor)
    bar.close()
    if not result.ok:
        fail(f"audit chain broken at event #{result.first_bad_seq}: {result.reason}")
    if not no_anchor:
        write_anchor(result.heads)
    chains = f", {len(result.heads)} chains" if len(result.heads) > 1 else ""
    click.echo(
        f"audit chain ok: {result.checked} events, head #{result.head_seq} {result.head_hash[:16]}"
        + chains
    )


@click.group()
def keys() -> None:
    """Keys that seal encrypted fields (identifiers, salaries, TOTP secrets)."""


@keys.command("rotate")
def keys_rotate() -> None:
    """Start a new key generation and re-seal every encrypted field under it."""
    setup_django()
    from backoffice.core.keys import rotate_field_keys

    result = rotate_field_keys(actor="cli")
    click.echo(
        f"key generation {result['generation']}: {result['resealed']} values re-sealed, "
        f"{result['remaining']} on an older generation"
    )
    if result["remaining"]:
        fail("some values are still on an older generation: run the rotation again")


@keys.command("status")
def keys_status() -> None:
    """The current key generation and how many values are on older ones."""
    setup_django()
    from backoffice.core.keys import current_generation, stale_values

    click.echo(f"key generation {current_generation()}: {stale_values()} values on older ones")


@click.group()
def jobs() -> None:
    """Background jobs."""


@jobs.command("list")
@click.option("--company", "company_code", required=True)
@format_option
def jobs_list(company_code: str, fmt: str) -> None:
    """List a company's jobs."""
    setup_django()
    from backoffice.core.models import Company, Job

    comp = Company.objects.filter(code=company_code).first()
    if comp is None:
        fail(f"unknown company: {company_code}", EXIT_USAGE)
    rows = [
        {
            "id": str(j.public_id),
            "kind": j.kind,
            "status": j.status,
            "percent": j.percent,
            "message": j.message,
            "created_at": j.created_at.isoformat(),
        }
        for j in Job.objects.filter(company=comp)[:100]
    ]
    emit(rows, fmt, ["id", "kind", "status", "percent", "message", "created_at"])


@jobs.command("watch")
@click.argument("job_id")
def jobs_watch(job_id: str) -> None:
    """Show a job's progress bar until it ends; non-zero exit if it failed."""
    setup_django()
    from backoffice.core.models import Job

    try:
        job = Job.objects.get(public_id=job_id)
    except (Job.DoesNotExist, ValueError, Exception):
        fail(f"unknown job: {job_id}", EXIT_USAGE)
    bar = progress_printer(job.kind)
    while True:
        job.refresh_from_db()
        bar(job.progress_done, job.progress_total or 1, job.message)
        if job.status in ("succeeded", "failed"):
            break
        time.sleep(0.5)
    bar.close()
    if job.status == "failed":
        fail(f"job failed: {job.error}")
    click.echo(f"job {job.kind} succeeded")


@click.command(
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        "help_option_names": [],
    }
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (e.g. `backoffice manage migrate`)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["backoffice manage", *args])

"""Thin, idempotent task wrappers over services (ARCHITECTURE convention 4)."""

from django_tasks import task

from backoffice.core.jobs import job_run


@task()
def run_job(job_id: int) -> None:
    job_run(job_id=job_id)


@task()
def send_mail_task(subject: str, body: str, recipients: list[str]) -> None:
    from django.core.mail import send_mail

    send_mail(subject, body, None, recipients, fail_silently=False)

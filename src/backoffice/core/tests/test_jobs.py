import pytest
from django.core import mail

from backoffice.core.enums import Role
from backoffice.core.jobs import job_enqueue, job_kind
from backoffice.core.models import Job, Notification
from backoffice.core.notifications import notify


@job_kind("test.count")
def _count(*, progress, company, actor, upto: int = 3):
    for i in range(1, upto + 1):
        progress.update(i, upto, f"step {i}")
    return {"counted": upto}


@job_kind("test.partial")
def _partial(*, progress, company, actor):
    progress.update(2, 5, "two of five")
    return None


@job_kind("test.fail")
def _fail(*, progress, company, actor):
    raise RuntimeError("bad input on row 7")


@pytest.mark.django_db(transaction=True)
def test_job_runs_after_commit_with_progress_and_notifies(company_a, make_user):
    user = make_user(company_a, roles=[Role.ADMIN])
    job = job_enqueue(actor=user, company=company_a, kind="test.count", params={"upto": 4})
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert (job.progress_done, job.progress_total, job.percent) == (4, 4, 100)
    assert job.result == {"counted": 4}
    assert Notification.objects.filter(user=user, company=company_a).count() == 1


@pytest.mark.django_db(transaction=True)
def test_failed_job_keeps_its_error(company_a, make_user):
    user = make_user(company_a, roles=[Role.ADMIN])
    job = job_enqueue(actor=user, company=company_a, kind="test.fail")
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "bad input on row 7"


def test_unknown_job_kind_is_refused(company_a, make_user):
    from backoffice.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed):
        job_enqueue(actor=None, company=company_a, kind="nope")
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_email_notification_is_sent_only_after_commit(company_a, make_user):
    from django.db import transaction

    user = make_user(company_a, roles=[Role.ADMIN], email="thu@example.vn")
    with transaction.atomic():
        notify(user=user, company=company_a, title="Phiếu chi chờ duyệt", email=True)
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Phiếu chi chờ duyệt"]
    assert mail.outbox[0].to == ["thu@example.vn"]


@pytest.mark.django_db(transaction=True)
def test_finished_job_shows_complete_even_if_its_last_report_was_partial(company_a, make_user):
    user = make_user(company_a, roles=[Role.ADMIN])
    job = job_enqueue(actor=user, company=company_a, kind="test.partial")
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total) == ("succeeded", 5, 5)
    assert job.message == "two of five"

import pytest
from django.db import DatabaseError, connection, transaction

from backoffice.core.audit import audit_record
from backoffice.core.models import AuditEvent


@pytest.mark.django_db(transaction=True)
def test_transactional_test_can_write_audit_events(company_a):
    audit_record(event_type="TEST_EVENT", company=company_a)
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET event_type = 'X'",
        "DELETE FROM core_auditevent",
    ],
)
def test_database_refuses_update_and_delete_of_audit_rows(company_a, sql):
    audit_record(event_type="TEST_EVENT", company=company_a)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert AuditEvent.objects.get().event_type == "TEST_EVENT"


@pytest.mark.django_db
def test_postgresql_refuses_truncate_of_the_audit_log(company_a):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    audit_record(event_type="TEST_EVENT", company=company_a)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.count() == 1

"""core.rawsql: the hot path's statements behave as through Django's cursor —
the same placeholders, Django's errors, a broken transaction refused, and
visible to query capture — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from backoffice.core import rawsql
from backoffice.core.models import Company

pytestmark = pytest.mark.django_db


def _company(code: str) -> Company:
    return Company.objects.create(code=code, name=f"Công ty {code}")


def test_placeholders_and_escaped_percent_signs_read_as_through_django():
    (row,) = rawsql.execute("SELECT %s, 'a%%s', 'b%%'", [7])
    assert list(row) == [7, "a%s", "b%"]


def _duplicate_code(company: Company) -> None:
    with transaction.atomic():
        rawsql.execute("UPDATE core_company SET code = %s WHERE id = %s", ["RAW2", company.pk])
        rawsql.execute("INSERT INTO core_company (code) VALUES (%s)", ["RAW2"])


def test_a_constraint_violation_is_djangos_integrity_error_and_nothing_is_kept():
    company = _company("RAW1")
    with pytest.raises(IntegrityError):
        _duplicate_code(company)
    company.refresh_from_db()
    assert company.code == "RAW1"


def test_a_transaction_marked_for_rollback_is_refused_as_django_refuses_it():
    with transaction.atomic():
        transaction.set_rollback(True)  # what an error caught inside a block leaves
        with pytest.raises(TransactionManagementError):
            rawsql.execute("SELECT 1")


def test_statements_are_seen_by_query_capture():
    company = _company("RAW4")
    with CaptureQueriesContext(connection) as captured:
        rows = rawsql.fetch(Company, "WHERE core_company.id = %s", [company.pk])
    assert [c.code for c in rows] == ["RAW4"]
    assert any("core_company" in q["sql"] for q in captured.captured_queries)


def test_without_params_the_sql_is_sent_as_written_as_django_sends_it():
    with connection.cursor() as cur:
        cur.execute("SELECT 'x%%'")
        through_django = cur.fetchone()[0]
    assert rawsql.execute("SELECT 'x%%'")[0][0] == through_django


def test_named_params_work_as_through_django():
    assert rawsql.execute("SELECT %(a)s + %(b)s", {"a": 2, "b": 3})[0][0] == 5


def test_an_error_while_the_rows_are_read_is_djangos():
    """SQLite computes rows as they are fetched: the second row's overflow
    surfaces while reading, and must still be Django's error."""
    from django.db import DataError, OperationalError

    sql = {
        "sqlite": "SELECT 1 UNION ALL SELECT abs(-9223372036854775808)",
        "postgresql": "SELECT 1 UNION ALL SELECT abs(-9223372036854775808::bigint)",
    }[connection.vendor]
    with pytest.raises((OperationalError, DataError)):
        rawsql.execute(sql)


def test_execute_wrappers_see_the_statements():
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        assert rawsql.execute("SELECT %s", [4])[0][0] == 4
    assert seen == ["SELECT %s"]

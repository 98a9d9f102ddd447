"""T11 (people part): canary national IDs, tax codes, bank accounts and salaries
are ciphertext in every table of the database and in the logs; a flipped
ciphertext byte is refused; a key rotation re-seals every value (0 left on the
old generation) and the values still read back."""

from __future__ import annotations

import base64
import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.db import connection

from backoffice.core import keys
from backoffice.core.crypto import token_generation
from backoffice.hr.models import Employee, JobChange

CANARIES = {
    "national_id": "079188004242",
    "tax_code": "8391020304",
    "bank_account": "1903999888777",
    "social_insurance_no": "7933311122",
}
SALARY = Decimal("87654321")


def _database_text() -> str:
    """Every row of every table, as text (what a stolen dump would hold)."""
    chunks = []
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.append(repr(cur.fetchall()))
    return "\n".join(chunks)


@pytest.fixture
def _fresh_generation():
    keys.forget_generation()
    yield
    keys.forget_generation()


@pytest.mark.django_db
@pytest.mark.usefixtures("_fresh_generation")
def test_t11_people_pii_at_rest_tamper_and_rotation(company_a, caplog):
    caplog.set_level(logging.DEBUG)
    people = [
        Employee.objects.create(
            company=company_a,
            code=f"T11-{i}",
            full_name=f"Canary {i}",
            hire_date=dt.date(2024, 1, 1),
            **{k: f"{v[:-1]}{i}" for k, v in CANARIES.items()},
        )  # fmt: skip
        for i in range(3)
    ]
    for emp in people:
        JobChange.objects.create(company=company_a, employee=emp, kind="hire",
                                 effective_date=dt.date(2024, 1, 1), salary=SALARY)  # fmt: skip
    text = _database_text() + "\n".join(r.getMessage() for r in caplog.records)
    planted = [f"{v[:-1]}{i}" for v in CANARIES.values() for i in range(3)] + [str(SALARY)]
    hits = sum(text.count(c) for c in planted)

    # Flip one byte of a stored national ID: reading it must fail, not return garbage.
    with connection.cursor() as cur:
        cur.execute("SELECT national_id FROM hr_employee WHERE id = %s", [people[0].pk])
        token = cur.fetchone()[0]
        head, body = token.split(":", 1)
        raw = bytearray(base64.urlsafe_b64decode(body))
        raw[15] ^= 0x01
        cur.execute(
            "UPDATE hr_employee SET national_id = %s WHERE id = %s",
            [f"{head}:{base64.urlsafe_b64encode(bytes(raw)).decode()}", people[0].pk],
        )
    tamper_rejected = 0
    try:
        Employee.objects.get(pk=people[0].pk)
    except Exception:  # cryptography's InvalidTag
        tamper_rejected = 1
    Employee.objects.filter(pk=people[0].pk).update(national_id=CANARIES["national_id"])

    before = keys.current_generation()
    result = keys.rotate_field_keys(actor="t11")
    with connection.cursor() as cur:
        cur.execute("SELECT national_id, bank_account FROM hr_employee")
        generations = {token_generation(v) for row in cur.fetchall() for v in row if v}
    again = Employee.objects.get(pk=people[1].pk)
    salary = JobChange.objects.get(employee=again).salary
    print(
        f"T11 PII at rest (people): plaintext hits {hits}; tampering rejected "
        f"{tamper_rejected}/1; rotation g{before}->g{result['generation']}, "
        f"{result['resealed']} re-sealed, {result['remaining']} left on the old key"
    )
    assert hits == 0
    assert tamper_rejected == 1
    assert result["remaining"] == 0
    assert result["resealed"] >= 3 * 5
    assert generations == {result["generation"]}
    assert again.bank_account == f"{CANARIES['bank_account'][:-1]}1"
    assert salary == SALARY

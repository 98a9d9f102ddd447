"""Rotation of the keys that seal encrypted fields.

Every encrypted column (``core.fields``) and the TOTP secrets carry the key
generation they were sealed under. :func:`rotate_field_keys` starts a new
generation and re-seals every value under it, in batches, then counts what is
still on an older generation (0 when the rotation is complete). A process that
has not yet seen the new generation keeps writing readable values under the
old one for at most ``_TTL`` seconds; run the rotation again to pick them up.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from backoffice.core.audit import audit_record
from backoffice.core.crypto import token_generation
from backoffice.core.models import FieldKeyGeneration

_TTL = 30.0
_cache: dict[str, tuple[float, int]] = {}


def current_generation() -> int:
    """The generation new values are sealed under (1 before any rotation)."""
    alias = connection.alias
    hit = _cache.get(alias)
    now = time.monotonic()
    if hit and now - hit[0] < _TTL:
        return hit[1]
    latest = FieldKeyGeneration.objects.order_by("-generation").first()
    gen = latest.generation if latest else 1
    _cache[alias] = (now, gen)
    return gen


def forget_generation() -> None:
    _cache.clear()


def encrypted_columns() -> Iterator[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted fields, and those fields' names."""
    from backoffice.core.fields import EncryptedDecimalField, EncryptedTextField

    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField | EncryptedDecimalField)
        ]
        if model._meta.label_lower == "core.totpdevice":
            names.append("encrypted_key")
        if names:
            yield model, names


def _raw_values(model: type[models.Model], names: list[str]) -> Iterator[tuple[Any, ...]]:
    by_name = {f.name: f.column for f in model._meta.concrete_fields}
    columns = [by_name[n] for n in names]
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(str(c)) for c in ["id", *columns])
    with connection.cursor() as cur:
        cur.execute(f"SELECT {cols} FROM {table}")  # noqa: S608  # nosec B608 - model metadata
        yield from cur.fetchall()


def stale_values(generation: int | None = None) -> int:
    """How many stored ciphertexts are on a generation older than ``generation``."""
    target = generation or current_generation()
    count = 0
    for model, names in encrypted_columns():
        for row in _raw_values(model, names):
            count += sum(1 for v in row[1:] if v and token_generation(v) < target)
    return count


def _reseal(model: type[models.Model], names: list[str], generation: int) -> int:
    done = 0
    for row in _raw_values(model, names):
        stale = [
            n for n, v in zip(names, row[1:], strict=True) if v and token_generation(v) < generation
        ]
        if not stale:
            continue
        obj = model._default_manager.only(*stale).get(pk=row[0])
        if model._meta.label_lower == "core.totpdevice":
            from backoffice.core import mfa

            secret = mfa.unseal_secret(obj.encrypted_key)  # type: ignore[attr-defined]
            fresh = {"encrypted_key": mfa.seal_secret(secret)}
        else:
            fresh = {n: getattr(obj, n) for n in stale}
        model._default_manager.filter(pk=row[0]).update(**fresh)
        done += len(stale)
    return done


def rotate_field_keys(*, actor: Any = None) -> dict[str, int]:
    """Start a new key generation and re-seal every encrypted value under it."""
    with transaction.atomic():
        latest = FieldKeyGeneration.objects.order_by("-generation").first()
        generation = (latest.generation if latest else 1) + 1
        FieldKeyGeneration.objects.create(generation=generation)
        forget_generation()
    resealed = 0
    for model, names in encrypted_columns():
        with transaction.atomic():
            resealed += _reseal(model, names, generation)
    remaining = stale_values(generation)
    audit_record(
        event_type="FIELD_KEYS_ROTATED",
        actor=actor,
        company=None,
        target=None,
        after={"generation": generation, "resealed": resealed, "remaining": remaining},
    )
    return {"generation": generation, "resealed": resealed, "remaining": remaining}

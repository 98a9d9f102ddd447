"""The audit log: write one event in the caller's transaction, verify the chain.

Each event's hash is SHA-256 over its canonical JSON (sequence, time, company,
actor, type, object, before/after, IP, outcome) and the previous event's hash.
Writers are serialised (PostgreSQL advisory transaction lock; SQLite's
IMMEDIATE write lock) so the chain never forks. The newest verified head is
kept outside the database too (``BACKOFFICE_HOME/audit-head``) so that
cutting off the tail is detected as well.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from backoffice import config
from backoffice.core import rawsql
from backoffice.core.crypto import derived_key
from backoffice.core.models import AuditEvent
from backoffice.core.request_context import client_ip

GENESIS = "0" * 64


def chain_key() -> bytes:
    return derived_key("audit-chain")


_PG_LOCK_KEY = 0x424F_4155  # "BOAU"


def _normalise(value: Any) -> Any:
    """What a JSON column gives back, so the hash is stable after a round trip."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _digest(fields: dict[str, Any], prev_hash: str) -> str:
    """HMAC-SHA-256 keyed from the master key: someone who can write the database
    but does not hold the key cannot forge a row, even at the end of the chain."""
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(chain_key(), (prev_hash + "|" + payload).encode(), hashlib.sha256).hexdigest()


def _fields(ev: AuditEvent) -> dict[str, Any]:
    return {
        "seq": ev.seq,
        "at": ev.created_at.astimezone(UTC).isoformat(),
        "company": ev.company_id,
        "actor": ev.actor_id,
        "actor_label": ev.actor_label,
        "type": ev.event_type,
        "object_type": ev.object_type,
        "object_id": ev.object_id,
        "object_repr": ev.object_repr,
        "before": ev.before,
        "after": ev.after,
        "ip": ev.ip_address,
        "outcome": ev.outcome,
    }


def audit_record(
    *,
    event_type: str,
    actor: Any = None,
    company: Any = None,
    target: Any = None,
    object_type: str = "",
    object_id: str = "",
    before: Any = None,
    after: Any = None,
    ip_address: str | None = None,
    outcome: str = "success",
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it records.

    Everything but the chain (seq, previous hash, hash) is prepared before the
    chain's lock is taken: the lock is held to COMMIT, so every audited change
    of every company waits on the work done under it (QUALITY S8)."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    label = getattr(actor_obj, "email", "") or (actor if isinstance(actor, str) else "")
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(getattr(target, "public_id", None) or target.pk)
    ev = AuditEvent(
        seq=0,
        created_at=timezone.now(),
        company_id=getattr(company, "pk", company),
        actor_id=getattr(actor_obj, "pk", None),
        actor_label=label[:254],
        event_type=event_type,
        object_type=object_type,
        object_id=object_id,
        object_repr=(str(target) if target is not None else "")[:200],
        before=_normalise(before),
        after=_normalise(after),
        ip_address=ip_address or client_ip(),
        outcome=outcome,
        prev_hash="",
    )
    # No savepoint: the event is part of the caller's change (a failure here fails it).
    with transaction.atomic(savepoint=False):
        last_seq, last_hash = _chain_head()
        ev.seq, ev.prev_hash = last_seq + 1, last_hash
        ev.hash = _digest(_fields(ev), ev.prev_hash)
        rawsql.insert([ev])  # the ORM's INSERT without its query building (hot path)
        return ev


# The chain head, read raw (once per audited change: the hot path).
_HEAD_SQL = "SELECT seq, hash FROM core_auditevent ORDER BY seq DESC LIMIT 1"


def _chain_head() -> tuple[int, str]:
    """Take the chain's lock, then read its head. PostgreSQL: the advisory lock
    and the read in one round trip (two statements, each with its own snapshot:
    the read sees every event committed before the lock was granted); SQLite:
    the IMMEDIATE transaction already holds the write lock."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY}); {_HEAD_SQL}")
            cur.cursor.nextset()
        else:
            cur.execute(_HEAD_SQL)
        head = cur.fetchone()
    return (head[0], head[1]) if head else (0, GENESIS)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    first_bad_seq: int | None = None
    reason: str = ""


def _anchor_path() -> Path:
    return config.home() / "audit-head"


def read_anchor() -> tuple[int, str] | None:
    path = _anchor_path()
    if not path.exists():
        return None
    seq, _, digest = path.read_text().strip().partition(" ")
    return int(seq), digest


def write_anchor(seq: int, digest: str) -> None:
    _anchor_path().write_text(f"{seq} {digest}\n")


def audit_verify(
    *, progress: Callable[[int, int], object] | None = None, use_anchor: bool = True
) -> VerifyResult:
    """Recompute the chain; report the first event whose row does not match."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    total = AuditEvent.objects.count()
    rows = AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    for ev in rows:
        if ev.seq != expected_seq:
            return VerifyResult(
                False,
                checked,
                ev.seq,
                ev.hash,
                expected_seq,
                f"sequence gap: expected #{expected_seq}, found #{ev.seq}",
            )
        if ev.prev_hash != expected_prev:
            return VerifyResult(
                False, checked, ev.seq, ev.hash, ev.seq, "previous-hash link does not match"
            )
        if _digest(_fields(ev), ev.prev_hash) != ev.hash:
            return VerifyResult(
                False, checked, ev.seq, ev.hash, ev.seq, "row content does not match its hash"
            )
        expected_prev, expected_seq, checked = ev.hash, expected_seq + 1, checked + 1
        if progress and checked % 1000 == 0:
            progress(checked, total)
    head = (expected_seq - 1, expected_prev)
    anchor = read_anchor() if use_anchor else None
    if anchor:
        a_seq, a_hash = anchor
        if a_seq > head[0]:
            return VerifyResult(
                False,
                checked,
                head[0],
                head[1],
                head[0] + 1,
                f"events after #{head[0]} were removed (anchor at #{a_seq})",
            )
        row = AuditEvent.objects.filter(seq=a_seq).values_list("hash", flat=True).first()
        if a_seq and row != a_hash:
            return VerifyResult(
                False, checked, head[0], head[1], a_seq, "event at the saved anchor was replaced"
            )
    if progress:
        progress(checked, total)
    return VerifyResult(True, checked, head[0], head[1])

"""The audit log: write one event in the caller's transaction, verify the chains.

Each event's hash is an HMAC over its canonical JSON (position, time, company,
actor, type, object, before/after, IP, outcome) and the previous event's hash in
its chain. There are ``CHAINS`` chains: a writer holds one chain's lock until it
commits (PostgreSQL advisory transaction lock, the first chain free; SQLite's
IMMEDIATE write lock, always chain 0), so a chain never forks while concurrent
writers on PostgreSQL do not queue behind one lock (QUALITY S8). A lone writer
always gets chain 0. The newest verified head of each chain is kept outside the
database too (``BACKOFFICE_HOME/audit-head``) so that cutting off a tail is
detected as well.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any, Required, TypedDict, Unpack

from django.db import connection, transaction
from django.utils import timezone

from backoffice import config
from backoffice.core import rawsql
from backoffice.core.crypto import derived_key
from backoffice.core.models import AuditEvent
from backoffice.core.request_context import client_ip

GENESIS = "0" * 64
CHAINS = 8


def chain_key() -> bytes:
    return derived_key("audit-chain")


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
    fields = {
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
    if ev.chain:  # chain 0 hashes as before there were chains
        fields["chain"] = ev.chain
    return fields


class EventFields(TypedDict, total=False):
    """What the caller says of an event (``audit_record``, ``audit_prepare``)."""

    event_type: Required[str]
    actor: Any
    company: Any
    target: Any
    object_type: str
    object_id: str
    object_repr: str  # what the object is called, where str(target) is not final yet
    before: Any
    after: Any
    ip_address: str | None
    outcome: str


def audit_prepare(**fields: Unpack[EventFields]) -> AuditEvent:
    """The event, not yet in its chain (no database access): ``audit_append`` writes it."""
    actor, target = fields.get("actor"), fields.get("target")
    company = fields.get("company")
    object_type, object_id = fields.get("object_type", ""), fields.get("object_id", "")
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    label = getattr(actor_obj, "email", "") or (actor if isinstance(actor, str) else "")
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(getattr(target, "public_id", None) or target.pk)
    return AuditEvent(
        seq=0,
        created_at=timezone.now(),
        company_id=getattr(company, "pk", company),
        actor_id=getattr(actor_obj, "pk", None),
        actor_label=label[:254],
        event_type=fields["event_type"],
        object_type=object_type,
        object_id=object_id,
        object_repr=(
            fields["object_repr"]
            if "object_repr" in fields
            else str(target)
            if target is not None
            else ""
        )[:200],
        before=_normalise(fields.get("before")),
        after=_normalise(fields.get("after")),
        ip_address=fields.get("ip_address") or client_ip(),
        outcome=fields.get("outcome", "success"),
        prev_hash="",
    )


def audit_append(ev: AuditEvent, slot: ChainSlot | None = None) -> AuditEvent:
    """Chain and write a prepared event, in the caller's transaction. With a ``slot``
    from ``audit_reserve`` the chain was taken earlier in the transaction."""
    # No savepoint: the event is part of the caller's change (a failure here fails it).
    with transaction.atomic(savepoint=False):
        if slot is None:
            slot = audit_reserve()
        ev.chain, ev.seq, ev.prev_hash = slot.chain, slot.seq, slot.prev_hash
        ev.hash = _digest(_fields(ev), ev.prev_hash)
        rawsql.insert([ev])  # the ORM's INSERT without its query building (hot path)
        return ev


def audit_record(**fields: Unpack[EventFields]) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it records.

    Everything but the chain (seq, previous hash, hash) is prepared before the
    chain's lock is taken: the lock is held to COMMIT, so every audited change
    of its chain waits on the work done under it (QUALITY S8)."""
    return audit_append(audit_prepare(**fields))


@dataclass(frozen=True)
class ChainSlot:
    """Where the transaction's next event goes: its chain, position and predecessor."""

    chain: int
    seq: int
    prev_hash: str


def audit_reserve() -> ChainSlot:
    """Take a chain for the current transaction now (held to COMMIT) and read its
    head, for an ``audit_append(event, slot)`` later in the same transaction: a service
    that takes another contended lock (a voucher series) does this first, so that
    round trip is not made while holding that lock. No other event may be
    recorded in between (it would take the same position: refused by the unique
    constraint, never a fork)."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_reserve() needs a transaction")
    chain, last_seq, last_hash = _chain_head()
    return ChainSlot(chain, last_seq + 1, last_hash)


# Taking a chain and reading its head, raw (once per audited change: the hot path).
_PG_LOCK_KEY = 0x424F_4155  # "BOAU"; chain n is the advisory lock (key, n)
_PG_SETTING = "backoffice.audit_chain"
# The chain this transaction already holds first, then the others in turn: the
# first one free is taken (try-locks never wait) and remembered for the next event.
_PG_TAKE = (
    f"SELECT set_config('{_PG_SETTING}', x.c::text, true)"  # noqa: S608  # nosec B608 - constants
    f" FROM generate_series(0, {CHAINS - 1}) g,"
    f" LATERAL (SELECT (g + COALESCE(NULLIF(current_setting('{_PG_SETTING}', true), '')::int, 0))"
    f" % {CHAINS} AS c) x WHERE pg_try_advisory_xact_lock({_PG_LOCK_KEY}, x.c) LIMIT 1"
)
# A separate statement, so its snapshot sees every event committed before the lock.
_PG_HEAD = (
    "SELECT seq, hash FROM core_auditevent"  # noqa: S608  # nosec B608 - constants
    f" WHERE chain = NULLIF(current_setting('{_PG_SETTING}', true), '')::int"
    " ORDER BY seq DESC LIMIT 1"
)
_PG_WAIT = (
    f"SELECT set_config('{_PG_SETTING}', '0', true), pg_advisory_xact_lock({_PG_LOCK_KEY}, 0)"
)
_HEAD_SQL = "SELECT seq, hash FROM core_auditevent WHERE chain = 0 ORDER BY seq DESC LIMIT 1"


def _chain_head() -> tuple[int, int, str]:
    """Take a chain's lock, then read its head: (chain, seq, hash). PostgreSQL: the
    first free chain (waiting for chain 0 only when all are taken), lock and read in
    one round trip; SQLite: the IMMEDIATE transaction already holds the write lock."""
    if connection.vendor != "postgresql":
        rows = rawsql.execute(_HEAD_SQL)
        return (0, rows[0][0], rows[0][1]) if rows else (0, 0, GENESIS)
    with connection.cursor() as cur:
        cur.execute(f"{_PG_TAKE}; {_PG_HEAD}")
        taken = cur.fetchone()
        if taken is None:  # every chain busy: queue for chain 0
            cur.execute(f"{_PG_WAIT}; {_PG_HEAD}")
            taken = cur.fetchone()
        cur.cursor.nextset()
        head = cur.fetchone()
    chain = int(taken[0])
    return (chain, head[0], head[1]) if head else (chain, 0, GENESIS)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    heads: dict[int, tuple[int, str]] = field(default_factory=dict)  # chain -> (seq, hash)
    first_bad_seq: int | None = None
    reason: str = ""
    first_bad_chain: int = 0

    @property
    def head_seq(self) -> int:
        return self.heads.get(0, (0, GENESIS))[0]

    @property
    def head_hash(self) -> str:
        return self.heads.get(0, (0, GENESIS))[1]


def _anchor_path() -> Path:
    return config.home() / "audit-head"


def read_anchor() -> dict[int, tuple[int, str]]:
    """The saved heads, chain -> (seq, hash); a file written before there were
    chains holds one line ``seq hash``: chain 0."""
    path = _anchor_path()
    if not path.exists():
        return {}
    heads = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2:
            parts.insert(0, "0")
        if len(parts) == 3:
            heads[int(parts[0])] = (int(parts[1]), parts[2])
    return heads


def write_anchor(heads: dict[int, tuple[int, str]]) -> None:
    lines = [f"{chain} {seq} {digest}\n" for chain, (seq, digest) in sorted(heads.items())]
    _anchor_path().write_text("".join(lines))


def audit_verify(
    *, progress: Callable[[int, int], object] | None = None, use_anchor: bool = True
) -> VerifyResult:
    """Recompute every chain; report the first event whose row does not match."""
    heads: dict[int, tuple[int, str]] = {}
    checked = 0

    def broken(chain: int, seq: int, reason: str) -> VerifyResult:
        where = f"chain {chain}: " if chain else ""
        return VerifyResult(False, checked, heads, seq, where + reason, chain)

    total = AuditEvent.objects.count()
    for ev in AuditEvent.objects.order_by("chain", "seq").iterator(chunk_size=2000):
        last_seq, last_hash = heads.get(ev.chain, (0, GENESIS))
        if ev.seq != last_seq + 1:
            return broken(
                ev.chain, last_seq + 1, f"sequence gap: expected #{last_seq + 1}, found #{ev.seq}"
            )
        if ev.prev_hash != last_hash:
            return broken(ev.chain, ev.seq, "previous-hash link does not match")
        if _digest(_fields(ev), ev.prev_hash) != ev.hash:
            return broken(ev.chain, ev.seq, "row content does not match its hash")
        heads[ev.chain] = (ev.seq, ev.hash)
        checked += 1
        if progress and checked % 1000 == 0:
            progress(checked, total)
    for chain, (a_seq, a_hash) in sorted((read_anchor() if use_anchor else {}).items()):
        h_seq = heads.get(chain, (0, GENESIS))[0]
        if a_seq > h_seq:
            return broken(
                chain, h_seq + 1, f"events after #{h_seq} were removed (anchor at #{a_seq})"
            )
        row = AuditEvent.objects.filter(chain=chain, seq=a_seq).values_list("hash", flat=True)
        if a_seq and row.first() != a_hash:
            return broken(chain, a_seq, "event at the saved anchor was replaced")
    if progress:
        progress(checked, total)
    return VerifyResult(True, checked, heads)

"""A sliding-window rate limit for public endpoints (no login), counted in the
database so that several application servers share the count.

    from backoffice.core.ratelimit import client_key, hit

    if not hit("careers.apply", client_key(request), limit=5, window=600):
        raise RateLimited(...)

``hit`` records one hit and answers whether it is within the limit. Hits
are counted per fixed window; the limit is checked against the current
window's hits plus the previous window's, weighted by how much of the
previous window still lies within the last ``window`` seconds (the usual
sliding-window estimate). So a burst that straddles a window boundary is
refused as if the window slid, not allowed twice the limit. A refused hit
is not counted: a client that keeps retrying a little too often is served
at the limit's rate, not locked out for as long as it retries. The client
key is a keyed digest of the address (no IP is stored).
Old windows are deleted by ``ratelimit_prune`` (run from ``backoffice
recruitment tick`` and any job that wants to).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from backoffice.core.crypto import derived_key
from backoffice.core.models import RateLimitCounter


def client_key(request: Any) -> str:
    """A keyed digest of the client's address (REMOTE_ADDR; a proxy in front
    must set it, e.g. gunicorn's --forwarded-allow-ips)."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(derived_key("ratelimit"), address.encode(), hashlib.sha256).hexdigest()


def _window_start(now: dt.datetime, window: int) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % window, tz=dt.UTC)


def hit(scope: str, key: str, *, limit: int, window: int, now: dt.datetime | None = None) -> bool:
    """Count one hit of ``key`` in ``scope``; True while the hits of the last
    ``window`` seconds (sliding estimate) are at most ``limit``; a refused hit
    is taken back. Runs in its own savepoint."""
    now = now or timezone.now()
    start = _window_start(now, window)
    previous = start - dt.timedelta(seconds=window)
    counters = RateLimitCounter.objects.filter(scope=scope, key=key)
    with transaction.atomic():
        updated = counters.filter(window_start=start).update(hits=F("hits") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateLimitCounter.objects.create(
                        scope=scope, key=key, window_start=start, hits=1
                    )
            except IntegrityError:  # a parallel request created it first
                counters.filter(window_start=start).update(hits=F("hits") + 1)
        hits = dict(
            counters.filter(window_start__in=(start, previous)).values_list("window_start", "hits")
        )
        elapsed = (now - start).total_seconds()
        carried = hits.get(previous, 0) * max(0.0, window - elapsed) / window
        allowed = hits.get(start, 0) + carried <= limit
        if not allowed:  # counted above so that parallel hits see each other
            counters.filter(window_start=start).update(hits=F("hits") - 1)
    return allowed


def ratelimit_prune(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete counters of windows that ended long ago; returns how many."""
    deleted, _ = RateLimitCounter.objects.filter(
        window_start__lt=timezone.now() - older_than
    ).delete()
    return deleted

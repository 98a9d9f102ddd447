"""The database rate limit of public endpoints: a sliding window per client
digest and scope, shared by every server, no address stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from backoffice.core.models import RateLimitCounter
from backoffice.core.ratelimit import client_key, hit, ratelimit_prune

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 27, 10, 3, tzinfo=dt.UTC)


def test_hits_over_the_limit_are_refused_until_the_window_ends():
    results = [hit("careers.apply", "k1", limit=3, window=600, now=NOW) for _ in range(5)]
    assert results == [True, True, True, False, False]
    # another client and another scope count apart
    assert hit("careers.apply", "k2", limit=3, window=600, now=NOW)
    assert hit("other", "k1", limit=3, window=600, now=NOW)
    # the burst ages out: ten minutes on it still weighs, twenty minutes on it is gone
    assert not hit("careers.apply", "k1", limit=3, window=600, now=NOW + dt.timedelta(minutes=10))
    assert hit("careers.apply", "k1", limit=3, window=600, now=NOW + dt.timedelta(minutes=20))


def test_a_burst_across_a_window_boundary_is_still_refused():
    """The count slides: hits just before a boundary still count just after it
    (a fixed window would allow twice the limit around the boundary)."""
    edge = dt.datetime(2026, 11, 27, 10, 10, tzinfo=dt.UTC)
    before = [
        hit("careers.apply", "k1", limit=3, window=600, now=edge - dt.timedelta(seconds=s))
        for s in (3, 2, 1)
    ]
    assert before == [True, True, True]
    assert not hit("careers.apply", "k1", limit=3, window=600, now=edge)
    # half a window later the earlier burst weighs half (1.5): one more hit is
    # allowed (2.5), a second is not (3.5); refused hits were not counted
    half = edge + dt.timedelta(minutes=5)
    assert hit("careers.apply", "k1", limit=3, window=600, now=half)
    assert not hit("careers.apply", "k1", limit=3, window=600, now=half)
    # once the earlier window has slid out, the client may apply again
    assert hit(
        "careers.apply", "k1", limit=3, window=600, now=edge + dt.timedelta(minutes=10, seconds=1)
    )


def test_a_client_retrying_a_little_too_often_is_served_at_the_limits_rate():
    """Refused hits are not counted: a client that tries every 150 s against a
    limit of 3 per 10 minutes (4 tries per window) is not locked out for as
    long as it keeps trying: more than half its tries get through."""
    tries = [
        hit("careers.apply", "k1", limit=3, window=600, now=NOW + dt.timedelta(seconds=150 * i))
        for i in range(24)  # one hour
    ]
    assert sum(tries) >= 12  # more than half
    assert all(any(tries[i : i + 4]) for i in range(0, 24, 4))  # never a window without one
    assert not all(tries)  # and the limit still holds


def test_the_client_key_is_a_digest_not_the_address():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    key = client_key(request)
    assert "203.0.113.7" not in key
    assert len(key) == 64
    assert key == client_key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7"))
    assert key != client_key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.8"))


def test_old_windows_are_pruned():
    hit("careers.apply", "k1", limit=3, window=600, now=timezone.now() - dt.timedelta(days=3))
    hit("careers.apply", "k1", limit=3, window=600)
    assert ratelimit_prune() == 1
    assert RateLimitCounter.objects.count() == 1

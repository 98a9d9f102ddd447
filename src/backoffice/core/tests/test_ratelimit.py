"""The database rate limit of public endpoints: a fixed window per client
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
    # the next window starts afresh
    assert hit("careers.apply", "k1", limit=3, window=600, now=NOW + dt.timedelta(minutes=10))


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

"""ServicePatterns kept in memory: fewer queries per ticket, never a stale rule after a change."""

from __future__ import annotations

import pytest
from cas_server.models import FilterAttributValue, ReplaceAttributName, ServicePattern
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cas_educonnect.core import memo
from cas_educonnect.host import patches, patterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_patterns():
    first = ServicePattern.objects.create(name="first", pattern=r"^https://a\.example\.test/", pos=10)
    ServicePattern.objects.create(name="catch-all", pattern=r"^https://", pos=20)
    FilterAttributValue.objects.create(service_pattern=first, attribut="uid", pattern="^x")
    ReplaceAttributName.objects.create(service_pattern=first, name="uid", replace="login")
    return first


def test_matches_like_the_host(two_patterns):
    host_validate = patches.original("cas_server.models.ServicePattern.validate", ServicePattern)
    for url in ("https://a.example.test/x", "https://b.example.test/", "https://a.example.test/"):
        assert ServicePattern.validate(url) == host_validate(url)
    for url in ("http://plain.example.test/", ""):
        with pytest.raises(ServicePattern.DoesNotExist):
            ServicePattern.validate(url)
        with pytest.raises(ServicePattern.DoesNotExist):
            host_validate(url)


def test_second_lookup_and_rules_cost_no_query(two_patterns):
    ServicePattern.validate("https://a.example.test/")
    with CaptureQueriesContext(connection) as captured:
        pattern = ServicePattern.validate("https://a.example.test/")
        rules = (list(pattern.filters.all()), list(pattern.attributs.all()), list(pattern.replacements.all()))
    assert len(captured) == 0, [q["sql"] for q in captured]
    assert [f.pattern for f in rules[0]] == ["^x"] and [a.replace for a in rules[1]] == ["login"]


def test_an_admin_change_is_seen_at_the_next_lookup(two_patterns):
    assert ServicePattern.validate("https://a.example.test/").name == "first"
    two_patterns.pattern = r"^https://c\.example\.test/"
    two_patterns.save()
    assert ServicePattern.validate("https://a.example.test/").name == "catch-all"
    FilterAttributValue.objects.create(service_pattern=two_patterns, attribut="mail", pattern=".")
    assert len(ServicePattern.validate("https://c.example.test/").filters.all()) == 2
    ServicePattern.objects.filter(name="catch-all").delete()
    with pytest.raises(ServicePattern.DoesNotExist):
        ServicePattern.validate("https://a.example.test/")


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    return now


def test_a_new_version_from_another_process_is_seen_within_a_second(two_patterns, clock):
    ServicePattern.validate("https://a.example.test/")
    # Another app server saved a pattern: this process only sees the shared version move.
    ServicePattern.objects.filter(pk=two_patterns.pk).update(name="renamed elsewhere")
    cache.set(patterns.VERSION_KEY, "written-by-another-process")
    clock[0] += patterns.VERSION_CHECK_SECONDS / 2
    assert ServicePattern.validate("https://a.example.test/").name == "first"
    clock[0] += patterns.VERSION_CHECK_SECONDS / 2
    assert ServicePattern.validate("https://a.example.test/").name == "renamed elsewhere"


def test_the_shared_version_is_read_once_per_interval(two_patterns, clock, monkeypatch):
    reads = []
    real_get = memo.cache.get
    monkeypatch.setattr(memo.cache, "get", lambda key, *a, **k: reads.append(key) or real_get(key, *a, **k))
    for _ in range(5):
        ServicePattern.validate("https://a.example.test/")
    assert reads == [patterns.VERSION_KEY]
    clock[0] += patterns.VERSION_CHECK_SECONDS
    ServicePattern.validate("https://a.example.test/")
    assert reads == [patterns.VERSION_KEY] * 2


def test_memo_expires_after_its_age(two_patterns, clock, settings):
    settings.CAS_EDUCONNECT_SERVICE_PATTERN_CACHE_SECONDS = 30
    ServicePattern.validate("https://a.example.test/")
    ServicePattern.objects.filter(pk=two_patterns.pk).update(name="changed without signal")
    clock[0] += 29
    assert ServicePattern.validate("https://a.example.test/").name == "first"
    clock[0] += 1
    assert ServicePattern.validate("https://a.example.test/").name == "changed without signal"


def test_zero_reads_the_database_every_time(two_patterns, settings):
    settings.CAS_EDUCONNECT_SERVICE_PATTERN_CACHE_SECONDS = 0
    ServicePattern.validate("https://a.example.test/")
    with CaptureQueriesContext(connection) as captured:
        ServicePattern.validate("https://a.example.test/")
    assert len(captured) >= 1

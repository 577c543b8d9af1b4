"""Throttling of failed logins (per identifier, per IP) and of wrong birth dates (limiter backoff, cache)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import caches
from django.test import override_settings
from freezegun import freeze_time

from cas_educonnect.core.ratelimit import throttle as make_throttle
from cas_educonnect.models import AccountState
from tests.services import redis_up

from .conftest import cas_login, text

LOCKED = "Trop de tentatives infructueuses"
FREE = {"login_identifier": 2, "login_ip": 4, "birth_date": 1}


def test_delay_doubles_after_the_free_failures_and_is_capped(settings):
    settings.CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES = {"x": 2}
    settings.CAS_EDUCONNECT_ATEN_THROTTLE_MAX_DELAY = 60
    throttle = make_throttle("x", "k").policy
    settings.CAS_EDUCONNECT_ATEN_THROTTLE_FACTOR = 1
    assert [throttle.delay(n) for n in range(0, 10)] == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60]
    settings.CAS_EDUCONNECT_ATEN_THROTTLE_FACTOR = 0
    assert throttle.delay(9) == 0


@pytest.mark.django_db
@override_settings(CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES=FREE)
def test_identifier_locked_after_failures_even_with_the_right_password(client, family):
    account = family["lea_account"]
    start = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)
    with freeze_time(start) as frozen:
        for _ in range(3):
            response = cas_login(client, account.identifier, "wrong-password")
            assert LOCKED not in text(response)
        # 3 failures, 2 free: locked for 30 s, during which even the right password is refused.
        response = cas_login(client, account.identifier, account.clear_provisional)
        assert response.status_code == 200 and LOCKED in text(response)
        frozen.tick(31)
        response = cas_login(client, account.identifier, account.clear_provisional)
        assert response.status_code == 302 and response["Location"] == "/cas/aten/activate/"


@pytest.mark.django_db
@override_settings(CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES=FREE)
def test_lock_answer_is_the_same_for_unknown_identifiers(client, family):
    known, unknown = family["lea_account"].identifier, "personne.inconnue"
    pages = {}
    with freeze_time(datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)):
        for identifier in (known, unknown):
            for _ in range(4):
                response = cas_login(client, identifier, "wrong-password", REMOTE_ADDR=f"10.0.0.{len(pages)}")
            page = text(response).replace(identifier, "X")
            pages[identifier] = re.sub(r'value="[^"]{20,}"', 'value="token"', page)  # LT and CSRF tokens
    assert LOCKED in pages[known]
    assert pages[known] == pages[unknown]


@pytest.mark.django_db
@override_settings(CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES=FREE)
def test_ip_locked_across_identifiers_and_other_ips_unaffected(client, family):
    with freeze_time(datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)):
        for n in range(5):
            cas_login(client, f"guess.{n}", "wrong-password", REMOTE_ADDR="192.0.2.7")
        account = family["lea_account"]
        response = cas_login(client, account.identifier, account.clear_provisional, REMOTE_ADDR="192.0.2.7")
        assert LOCKED in text(response)
        response = cas_login(client, account.identifier, account.clear_provisional, REMOTE_ADDR="198.51.100.1")
        assert response.status_code == 302


@pytest.mark.django_db
@override_settings(
    CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES=FREE,
    CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR",
    CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES=1,
)
def test_client_ip_from_the_proxy_header_uses_its_last_address(client):
    with freeze_time(datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)):
        for n in range(5):
            # The client forges the left part; the proxy appends the real address.
            cas_login(client, f"guess.{n}", "x", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 192.0.2.9")
        assert LOCKED in text(cas_login(client, "guess.9", "x", HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.9"))


@pytest.mark.django_db
@override_settings(CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES=FREE)
def test_wrong_birth_dates_are_throttled_and_do_not_consume_the_provisional_password(client, family):
    account, lea = family["lea_account"], family["lea"]
    data = {"new_password1": "Ch3val-Bleu-42", "new_password2": "Ch3val-Bleu-42", "email": "", "email2": ""}
    with freeze_time(datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)) as frozen:
        cas_login(client, account.identifier, account.clear_provisional)
        for _ in range(2):
            page = text(client.post("/cas/aten/activate/", {**data, f"birth_date_{lea.pk}": "01/01/2012"}))
            assert "ne correspond pas" in page
        page = text(client.post("/cas/aten/activate/", {**data, f"birth_date_{lea.pk}": "14/03/2012"}))
        assert "Trop de dates de naissance erronées" in page
        account.refresh_from_db()
        assert account.state == AccountState.NOTIFIED and account.provisional_password
        frozen.tick(31)
        response = client.post("/cas/aten/activate/", {**data, f"birth_date_{lea.pk}": "14/03/2012"})
        assert response.status_code == 302
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVE


@pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_counters_are_shared_through_redis_by_separate_cache_clients(settings):
    """Two cache clients stand for two worker processes: a failure seen by one locks for the other."""
    location = "redis://127.0.0.1:6379/9"
    settings.CACHES = {
        "default": settings.CACHES["default"],
        "w1": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location},
        "w2": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location},
    }
    settings.CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES = {"login_identifier": 1}
    # The cache backend alone (the login scopes are in the database by default).
    settings.CAS_EDUCONNECT_RATELIMIT_SCOPE_BACKENDS = {}
    settings.CAS_EDUCONNECT_RATELIMIT_CACHE_FALLBACK = ""
    key = f"shared.{datetime.datetime.now().timestamp()}"
    settings.CAS_EDUCONNECT_ATEN_THROTTLE_CACHE = "w1"
    worker1 = make_throttle("login_identifier", key)
    worker1.reset()
    assert worker1.hit().count == 1 and worker1.hit().count == 2
    settings.CAS_EDUCONNECT_ATEN_THROTTLE_CACHE = "w2"
    worker2 = make_throttle("login_identifier", key)
    assert caches["w1"] is not caches["w2"]
    assert worker2.peek().count == 2
    seen = worker2.peek()
    assert not seen.allowed and seen.retry_at is not None
    worker2.reset()


@pytest.mark.django_db
def test_a_strangers_guesses_do_not_lock_the_owner_out_of_his_own_device(client, family):
    """Default policy: 3 free failures per identifier and IP, so the stranger locks his address only."""
    account = family["lea_account"]
    with freeze_time(datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)):
        for _ in range(8):
            cas_login(client, account.identifier, "wrong-password", REMOTE_ADDR="203.0.113.66")
        own = cas_login(client, account.identifier, account.clear_provisional, REMOTE_ADDR="203.0.113.66")
        assert LOCKED in text(own)
        response = cas_login(client, account.identifier, account.clear_provisional, REMOTE_ADDR="198.51.100.20")
        assert response.status_code == 302 and response["Location"] == "/cas/aten/activate/"


@pytest.mark.django_db
def test_the_identifier_ceiling_stops_a_distributed_attack(client, family, settings):
    """Many addresses, 2 guesses each: the per-identifier ceiling (30 free) still locks."""
    account = family["lea_account"]
    checked = 0
    with freeze_time(datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)):
        for n in range(40):
            for _ in range(2):
                page = text(cas_login(client, account.identifier, "wrong-password", REMOTE_ADDR=f"10.1.{n}.1"))
                checked += LOCKED not in page
        assert checked == 31  # 30 free, the 31st takes a 30 s lock
        page = text(cas_login(client, account.identifier, account.clear_provisional, REMOTE_ADDR="198.51.100.20"))
        assert LOCKED in page

"""Access counting: per day, school, service, category and MEFSTAT; Redis with its flush; outages."""

from __future__ import annotations

import os
import sys
import threading
import uuid

import pytest
import redis
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from cas_educonnect.conf import DEFAULTS
from cas_educonnect.models import Account, AccountState, Mef, RepresentativeLink, ServiceCategory
from cas_educonnect.staff.counting import get_counter
from cas_educonnect.staff.models import AccessCount, AccessCountFlush
from tests.attributes.cas_helpers import ENT, NOTES, PASSWORD, cas_login, register_service, ticket_of

from .conftest import verified_client
from .helpers import workbook

REDIS_URL = os.environ.get("LIVE_REDIS_URL", "redis://127.0.0.1:6379/13")
DATABASE_COUNTER = "cas_educonnect.staff.counting.database.DatabaseCounter"
REDIS_COUNTER = "cas_educonnect.staff.counting.redis.RedisCounter"


@pytest.fixture
def counting(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CAS_EDUCONNECT_COUNT_ACCESSES = True
    settings.CAS_EDUCONNECT_ACCESS_COUNTER = DATABASE_COUNTER
    return settings


@pytest.fixture
def redis_counter(counting):
    """The Redis counter on its own key prefix, removed afterwards (never a FLUSHDB)."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL} (LIVE_REDIS_URL)")
    prefix = f"educonnect-test:{uuid.uuid4().hex}"
    counting.CAS_EDUCONNECT_ACCESS_COUNTER_REDIS_URL = REDIS_URL
    counting.CAS_EDUCONNECT_ACCESS_COUNTER_PREFIX = prefix
    counting.CAS_EDUCONNECT_ACCESS_COUNTER = REDIS_COUNTER
    yield client, prefix
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def in_use(*accounts):
    for account in accounts:
        Account.objects.filter(pk=account.pk).update(state=AccountState.ACTIVE, password=make_password(PASSWORD))


def mefstats(school, *codes):
    """The first pupils of ``school`` get MEFs bearing these MEFSTATs (in order)."""
    for pupil, code in zip(school.pupils, codes, strict=False):
        pupil.mef = Mef.objects.get_or_create(code=f"M{code}", defaults={"label": f"Niveau {code}", "mefstat": code})[0]
        pupil.save(update_fields=["mef"])


def counts() -> set[tuple]:
    return set(AccessCount.objects.values_list("uai", "service_id", "category", "mefstat", "count"))


def test_counting_is_on_by_default_with_redis():
    assert DEFAULTS["CAS_EDUCONNECT_COUNT_ACCESSES"] is True
    assert DEFAULTS["CAS_EDUCONNECT_ACCESS_COUNTER"] == REDIS_COUNTER


@pytest.mark.django_db
def test_accesses_count_per_school_category_and_mefstat(client, counting, school_a, head_a):
    """A representative of two pupils of one school counts once there, under the smaller MEFSTAT."""
    ent = register_service(ENT, ServiceCategory.ENT, "ENT du collège")
    mefstats(school_a, "21131010001", "21111010001", "", "21121010001")
    rep = school_a.rep_accounts[3]  # Utilisé, the parent of pupils[3]; give him pupils[0] too
    RepresentativeLink.objects.create(
        representative=rep.representatives.get(), pupil=school_a.pupils[0], link_code="10", legal=1
    )
    pupil = school_a.pupil_accounts[1]
    in_use(rep, pupil)
    for identifier in (pupil.identifier, rep.identifier):
        ticket_of(cas_login(client, identifier))
        ticket_of(client.get("/cas/login", {"service": ENT}))
        client.get("/cas/logout")
    uai = school_a.establishment.uai
    assert counts() == {(uai, ent.pk, "pupil", "21111010001", 2), (uai, ent.pk, "representative", "21121010001", 2)}

    verified_client(client, head_a)
    sheets = client.get(reverse("admin:educonnect_stats"), {"school": school_a.establishment.pk}).context["sheets"]
    service, category, mefstat = sheets[2]["sections"]
    assert service["rows"] == [["ENT du collège", 4, 4]]
    assert category["rows"] == [["Élève", 2, 2], ["Représentant légal", 2, 2]]  # French order
    assert mefstat["rows"] == [["21111010001 Niveau 21111010001", 2, 2], ["21121010001 Niveau 21121010001", 2, 2]]
    book = workbook(
        client.get(reverse("admin:educonnect_stats"), {"school": school_a.establishment.pk, "format": "xlsx"})
    )
    values = [list(r) for r in book[gettext("Accesses to services")].iter_rows(values_only=True)]
    assert ["Élève", 2, 2] in values and ["21121010001 Niveau 21121010001", 2, 2] in values


@pytest.mark.django_db
def test_redis_counts_a_second_of_tickets_at_once_and_flushes_exactly_once(client, redis_counter, school_a):
    redis_client, prefix = redis_counter
    notes = register_service(NOTES, ServiceCategory.FOLLOW_UP, "Notes")
    mefstats(school_a, "", "21111010001")
    pupil = school_a.pupil_accounts[1]
    in_use(pupil)
    ticket_of(cas_login(client, pupil.identifier, NOTES))
    for _ in range(3):
        ticket_of(client.get("/cas/login", {"service": NOTES}))
    assert not AccessCount.objects.exists()  # no database write per ticket
    day = timezone.localdate().isoformat()
    uai = school_a.establishment.uai
    field = f"{uai}|pupil|21111010001|{notes.pk}".encode()
    # The first ticket's count went at once; the next ones wait for the buffer's second.
    assert redis_client.hgetall(f"{prefix}:day:{day}") == {field: b"1"}
    get_counter().send_at = 0  # the second has passed: the next ticket sends all it holds
    ticket_of(client.get("/cas/login", {"service": NOTES}))
    assert redis_client.hgetall(f"{prefix}:day:{day}") == {field: b"5"}
    ticket_of(client.get("/cas/login", {"service": NOTES}))  # held, sent by the flush below

    call_command("educonnect_flush_accesses")
    assert counts() == {(uai, notes.pk, "pupil", "21111010001", 6)}
    assert not list(redis_client.scan_iter(match=f"{prefix}:*flushing*"))
    assert not redis_client.exists(f"{prefix}:day:{day}")

    # A flush that stopped after its database commit, before deleting the batch: not added twice.
    ticket_of(client.get("/cas/login", {"service": NOTES}))
    get_counter().send()
    batch = f"{prefix}:flushing:{day}:interrupted"
    redis_client.rename(f"{prefix}:day:{day}", batch)
    AccessCountFlush.objects.create(batch=batch)
    assert get_counter().flush() == 0
    assert counts() == {(uai, notes.pk, "pupil", "21111010001", 6)}
    assert not redis_client.exists(batch)


@pytest.mark.django_db
def test_a_redis_outage_costs_no_login_and_no_count(client, counting, school_a, caplog):
    counting.CAS_EDUCONNECT_ACCESS_COUNTER = REDIS_COUNTER
    counting.CAS_EDUCONNECT_ACCESS_COUNTER_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    ent = register_service(ENT, ServiceCategory.ENT, "ENT")
    pupil = school_a.pupil_accounts[1]
    in_use(pupil)
    ticket_of(cas_login(client, pupil.identifier))
    ticket_of(client.get("/cas/login", {"service": ENT}))
    assert counts() == {(school_a.establishment.uai, ent.pk, "pupil", "", 2)}
    assert sum("Redis access counter unavailable" in r.getMessage() for r in caplog.records) == 1  # then left alone


@pytest.mark.django_db(transaction=True)
def test_sixteen_threads_counting_at_once_lose_no_access(redis_counter, school_a):
    """The process's buffer is shared by threaded workers: every count reaches Redis once."""

    redis_client, prefix = redis_counter
    pupil = school_a.pupil_accounts[1]
    counter = get_counter()
    day = timezone.localdate()
    start = threading.Barrier(16)

    def hammer():
        start.wait()
        for _ in range(50):
            counter.count(pupil.identifier, 7, day)
            counter.send_at = 0  # every call may send: the races are between sends and counts

    threads = [threading.Thread(target=hammer) for _ in range(16)]
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can: races show
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    counter.send()
    values = redis_client.hgetall(f"{prefix}:day:{day.isoformat()}")
    assert sum(int(v) for v in values.values()) == 16 * 50 * len(values) and len(values) == 1

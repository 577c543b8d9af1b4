"""The background delivery of SMS codes (``cas_educonnect.routes.sms.delivery``) through the database queue."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from cas_educonnect.routes.sms import counters, delivery, services
from cas_educonnect.routes.sms.models import CodeChallenge, SentSms

from .conftest import MOBILE, last_code

T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def queue(settings):
    settings.CAS_EDUCONNECT_TASK_BACKEND = "database"


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "database", verbosity=0)


def counts() -> list[int]:
    """The number's and the IP's request counts."""
    number, ip = counters.number_cap(services.hash_number(MOBILE)), counters.ip_cap("192.0.2.1")
    return sorted([number.peek().count, ip.peek().count])


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_before_the_worker_runs(queue, sms_locmem):
    challenge = services.start_challenge("test", MOBILE, [1], ip="192.0.2.1")
    assert not sms_locmem and not SentSms.objects.exists()
    assert services.verify_code(challenge.public_id, "123456").reason == "invalid"  # no code yet
    run_worker()
    assert len(sms_locmem) == 1 and sms_locmem[0].to == MOBILE
    assert services.verify_code(challenge.public_id, last_code(sms_locmem)).ok


@pytest.mark.django_db(transaction=True)
def test_a_challenge_that_died_meanwhile_gets_no_sms_and_its_counters_back(queue, sms_locmem):
    challenge = services.start_challenge("test", MOBILE, [1], ip="192.0.2.1")
    assert counts() == [1, 1]
    for _ in range(5):  # the default maximum of wrong codes
        assert counters.code_attempts(challenge.public_id).hit().allowed
    run_worker()
    assert not sms_locmem and not SentSms.objects.exists()
    assert counts() == [0, 0]


@pytest.mark.django_db(transaction=True)
def test_a_delivery_run_after_the_code_validity_is_dropped(queue, sms_locmem):
    with freeze_time(T0):
        services.start_challenge("test", MOBILE, [1])
    with freeze_time(T0 + datetime.timedelta(seconds=601)):
        run_worker()
    assert not sms_locmem


@pytest.mark.django_db(transaction=True)
def test_queued_start_and_resend_leave_the_last_code_valid(queue, sms_locmem):
    with freeze_time(T0) as clock:
        challenge = services.start_challenge("test", MOBILE, [1])
        clock.tick(61)
        services.resend_code(challenge.public_id, MOBILE)
        run_worker()
        assert len(sms_locmem) == 2
        first, second = (re.search(r"\b(\d{6})\b", m.body).group(1) for m in sms_locmem)
        if first != second:
            assert services.verify_code(challenge.public_id, first).reason == "invalid"
        assert services.verify_code(challenge.public_id, last_code(sms_locmem)).ok
    assert CodeChallenge.objects.get().send_count == 2


@pytest.mark.django_db
def test_a_forged_argument_sends_nothing(sms_locmem):
    challenge = services.start_challenge("test", MOBILE, [])  # nothing for an unknown number
    assert delivery.deliver_code.call(str(challenge.public_id), "not-a-token") == "invalid"
    CodeChallenge.objects.filter(pk=challenge.pk).update(subject_ids=[1])
    assert delivery.deliver_code.call(str(challenge.public_id), "not-a-token") == "invalid"
    assert not sms_locmem


def test_the_sealed_argument_survives_a_secret_key_rotation(settings):
    settings.SECRET_KEY = "old-secret-key-" + "x" * 40
    token = delivery.seal(MOBILE, ["sms:number:abc"])
    assert MOBILE not in token and "612345678" not in token
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "new-secret-key-" + "y" * 40, [settings.SECRET_KEY]
    assert delivery.unseal(token) == {"number": MOBILE, "refund": ["sms:number:abc"]}
    settings.SECRET_KEY_FALLBACKS = []
    assert delivery.unseal(token) is None

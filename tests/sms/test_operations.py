"""Operations: SMS statistics, purge, system checks, console and dummy gateways."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from cas_educonnect.models import RateLimitCounter
from cas_educonnect.routes.sms import counters, services
from cas_educonnect.routes.sms.backends import console
from cas_educonnect.routes.sms.checks import check_sms_settings
from cas_educonnect.routes.sms.models import CodeChallenge, SentSms

from .conftest import MOBILE

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def test_stats_count_sent_and_failed_sms(sms_locmem):
    services.start_challenge("registration", MOBILE, [1])
    services.start_challenge("franceconnect", "+33781234567", [2])
    SentSms.objects.create(
        purpose="registration",
        number_hash="x",
        number_masked="+336****00",
        backend="b",
        status="failed",
        error_code="21211",
    )
    out = io.StringIO()
    call_command("educonnect_sms_stats", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["totals"] == {"sent": 2, "failed": 1}
    assert {(r["purpose"], r["status"], r["error_code"], r["count"]) for r in data["rows"]} == {
        ("registration", "sent", "", 1),
        ("franceconnect", "sent", "", 1),
        ("registration", "failed", "21211", 1),
    }
    out = io.StringIO()
    call_command("educonnect_sms_stats", stdout=out)
    assert "2 sent, 1 failed" in out.getvalue() and "code 21211" in out.getvalue()


def test_purge_deletes_old_challenges_and_counters_only(sms_locmem):
    with freeze_time(T0):
        services.start_challenge("registration", MOBILE, [1])
    with freeze_time(T0 + datetime.timedelta(hours=24, minutes=50)):
        services.start_challenge("registration", "+33781234567", [1])
        out = io.StringIO()
        call_command("educonnect_sms_purge", "--dry-run", stdout=out)
        assert "Would delete 1 challenge(s), 1 rate counter(s)" in out.getvalue()
        assert CodeChallenge.objects.count() == 2
    with freeze_time(T0 + datetime.timedelta(days=1, hours=1)):
        call_command("educonnect_sms_purge", stdout=io.StringIO())
        assert CodeChallenge.objects.count() == 1
        assert not RateLimitCounter.objects.filter(key=counters.number_cap(services.hash_number(MOBILE)).key).exists()
        assert RateLimitCounter.objects.count() == 3  # the recent number's window, the budget's hour and day
        assert SentSms.objects.count() == 2  # statistics are kept
        call_command("educonnect_sms_purge", stdout=io.StringIO())  # idempotent
        assert CodeChallenge.objects.count() == 1


def test_checks_catch_an_incomplete_twilio_configuration(settings):
    settings.CAS_EDUCONNECT_TASK_BACKEND = "database"  # a queue, not the inline backend (W002)
    settings.CAS_EDUCONNECT_SMS_BACKEND = "cas_educonnect.routes.sms.backends.twilio.SmsBackend"
    assert {m.id for m in check_sms_settings()} == {"educonnect_sms.E002", "educonnect_sms.E003"}
    settings.CAS_EDUCONNECT_SMS_TWILIO_ACCOUNT_SID = "AC1"
    settings.CAS_EDUCONNECT_SMS_TWILIO_AUTH_TOKEN = "t"
    settings.CAS_EDUCONNECT_SMS_TWILIO_MESSAGING_SERVICE_SID = "MG1"
    assert check_sms_settings() == []
    settings.CAS_EDUCONNECT_SMS_BACKEND = "nowhere.SmsBackend"
    assert [m.id for m in check_sms_settings()] == ["educonnect_sms.E001"]


def test_console_backend_prints_the_text():
    stream = io.StringIO()
    result = console.SmsBackend(stream=stream).send(MOBILE, "Votre code EduConnect : 123456.")
    assert "SMS to +33612345678" in stream.getvalue() and "123456" in stream.getvalue()
    assert result.status == "printed"


def test_dummy_backend_counts_but_sends_nothing(settings, sms_locmem):
    settings.CAS_EDUCONNECT_SMS_BACKEND = "cas_educonnect.routes.sms.backends.dummy.SmsBackend"
    services.start_challenge("registration", MOBILE, [1])
    assert not sms_locmem
    assert SentSms.objects.get().provider_status == "dropped"

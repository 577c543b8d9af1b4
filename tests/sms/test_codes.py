"""The code machinery on its own: expiry, wrong tries, replay, cooldown, caps (services API)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from cas_educonnect.routes.sms import counters, services
from cas_educonnect.routes.sms.models import CodeChallenge, SentSms

from .conftest import MOBILE, enter_code, last_code, start, text

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def test_code_is_six_digits_stored_hashed(sms_locmem):
    challenge = services.start_challenge("test", MOBILE, [1])
    code = last_code(sms_locmem)
    assert len(code) == 6 and code.isdigit()
    challenge.refresh_from_db()
    assert code not in challenge.code_hash and len(challenge.code_hash) == 64
    assert MOBILE not in challenge.number_hash and challenge.number_masked == "+336******78"


def test_code_expires_after_ten_minutes(sms_locmem):
    with freeze_time(T0):
        challenge = services.start_challenge("test", MOBILE, [1])
    code = last_code(sms_locmem)
    with freeze_time(T0 + datetime.timedelta(seconds=601)):
        result = services.verify_code(challenge.public_id, code)
    assert (result.ok, result.reason) == (False, "expired")
    with freeze_time(T0 + datetime.timedelta(seconds=599)):
        result = services.verify_code(challenge.public_id, code)
    assert result.ok and result.subject_ids == [1]


def test_five_wrong_codes_kill_the_challenge(sms_locmem):
    challenge = services.start_challenge("test", MOBILE, [1])
    code = last_code(sms_locmem)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    reasons = [services.verify_code(challenge.public_id, wrong) for _ in range(5)]
    assert [r.remaining for r in reasons] == [4, 3, 2, 1, 0]
    assert reasons[-1].reason == "locked"
    # Even the right code is refused now, and no new SMS can be asked for this challenge.
    assert services.verify_code(challenge.public_id, code).reason == "locked"
    with pytest.raises(services.CodeThrottled) as exc:
        services.resend_code(challenge.public_id, MOBILE)
    assert exc.value.reason == "locked"


def test_replay_is_refused(sms_locmem):
    challenge = services.start_challenge("test", MOBILE, [7])
    code = last_code(sms_locmem)
    assert services.verify_code(challenge.public_id, code).ok
    assert services.verify_code(challenge.public_id, code).reason == "used"
    assert services.consume(challenge) is True
    assert services.consume(challenge) is False


def test_spaces_in_the_code_are_ignored(sms_locmem):
    challenge = services.start_challenge("test", MOBILE, [1])
    code = last_code(sms_locmem)
    assert services.verify_code(challenge.public_id, f" {code[:3]} {code[3:]} ").ok


def test_resend_waits_for_the_cooldown_and_kills_the_old_code(sms_locmem):
    with freeze_time(T0):
        challenge = services.start_challenge("test", MOBILE, [1])
        old = last_code(sms_locmem)
    with freeze_time(T0 + datetime.timedelta(seconds=59)), pytest.raises(services.CodeThrottled) as exc:
        services.resend_code(challenge.public_id, MOBILE)
    assert exc.value.reason == "cooldown" and exc.value.retry_at == T0 + datetime.timedelta(seconds=60)
    assert len(sms_locmem) == 1
    with freeze_time(T0 + datetime.timedelta(seconds=60)):
        services.resend_code(challenge.public_id, MOBILE)
        new = last_code(sms_locmem)
        if new != old:
            assert services.verify_code(challenge.public_id, old).reason == "invalid"
        assert services.verify_code(challenge.public_id, new).ok
    assert CodeChallenge.objects.get().send_count == 2


def test_three_codes_per_number_per_day(sms_locmem):
    with freeze_time(T0):
        for _ in range(3):
            services.start_challenge("test", MOBILE, [1])
        with pytest.raises(services.CodeThrottled) as exc:
            services.start_challenge("test", MOBILE, [1])
        assert exc.value.reason == "number"
        assert "Trop de codes ont été demandés pour ce numéro" in services.throttle_message(exc.value)
        # Another number is not affected.
        services.start_challenge("test", "+33781234567", [2])
    assert len(sms_locmem) == 4
    with freeze_time(T0 + datetime.timedelta(days=1, seconds=1)):
        services.start_challenge("test", MOBILE, [1])
    assert len(sms_locmem) == 5


def test_resend_counts_towards_the_daily_cap(sms_locmem):
    with freeze_time(T0) as clock:
        challenge = services.start_challenge("test", MOBILE, [1])
        for _ in range(2):
            clock.tick(61)
            services.resend_code(challenge.public_id, MOBILE)
        clock.tick(61)
        with pytest.raises(services.CodeThrottled) as exc:
            services.resend_code(challenge.public_id, MOBILE)
    assert exc.value.reason == "number" and len(sms_locmem) == 3


def test_hourly_cap_per_ip(sms_locmem, settings):
    settings.CAS_EDUCONNECT_SMS_IP_LIMIT = 2
    with freeze_time(T0):
        services.start_challenge("test", "+33611111111", [1], ip="192.0.2.7")
        services.start_challenge("test", "+33622222222", [1], ip="192.0.2.7")
        with pytest.raises(services.CodeThrottled) as exc:
            services.start_challenge("test", "+33633333333", [1], ip="192.0.2.7")
        assert exc.value.reason == "ip"
        services.start_challenge("test", "+33633333333", [1], ip="192.0.2.8")
        # The refused request did not eat the third number's daily quota.
        third = counters.number_cap(services.hash_number("+33633333333")).peek()
        assert third.count == 1
    with freeze_time(T0 + datetime.timedelta(hours=1, seconds=1)):
        services.start_challenge("test", "+33644444444", [1], ip="192.0.2.7")


def test_unknown_numbers_are_capped_alike_without_sms(sms_locmem):
    for _ in range(3):
        challenge = services.start_challenge("test", "+33699999999", [])
        assert services.verify_code(challenge.public_id, "000000").reason == "invalid"
    with pytest.raises(services.CodeThrottled):
        services.start_challenge("test", "+33699999999", [])
    assert not sms_locmem and not SentSms.objects.exists()


def test_daily_cap_through_the_pages(client, family, sms_locmem):
    for _ in range(3):
        assert start(client).status_code == 302
    response = start(client)
    assert response.status_code == 200
    assert "Trop de codes ont été demandés pour ce numéro" in text(response)
    assert len(sms_locmem) == 3


def test_resend_cooldown_through_the_pages(client, family, sms_locmem):
    with freeze_time(T0) as clock:
        start(client)
        response = client.post(reverse("cas_server:educonnect_sms_resend"))
        assert "Veuillez patienter 60 secondes" in text(client.get(response["Location"]))
        clock.tick(61)
        response = client.post(reverse("cas_server:educonnect_sms_resend"))
        assert "un nouveau code vous a été envoyé" in text(client.get(response["Location"]))
        assert len(sms_locmem) == 2
        assert enter_code(client, last_code(sms_locmem)).status_code == 302


def test_wrong_code_five_times_through_the_pages(client, family, sms_locmem):
    start(client)
    code = last_code(sms_locmem)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for remaining in (4, 3, 2, 1):
        plural = "s" if remaining > 1 else ""
        assert f"Il vous reste {remaining} essai{plural}." in text(enter_code(client, wrong))
    assert "Trop de codes incorrects" in text(enter_code(client, wrong))
    # The flow is over: the right code now leads nowhere.
    assert enter_code(client, code).status_code == 400


def test_expired_code_through_the_pages(client, family, sms_locmem):
    with freeze_time(T0) as clock:
        start(client)
        clock.tick(601)
        assert "Ce code a expiré" in text(enter_code(client, last_code(sms_locmem)))
        clock.tick(60)
        client.post(reverse("cas_server:educonnect_sms_resend"))
        assert enter_code(client, last_code(sms_locmem))["Location"] == reverse("cas_server:educonnect_sms_birth_dates")


@pytest.mark.django_db
def test_the_academy_budget_stops_sends_whatever_the_number(settings, sms_locmem):
    """The budget counts every request (known number or not) and answers like the other caps."""
    settings.CAS_EDUCONNECT_SMS_BUDGET_HOUR = 3
    known = [services.start_challenge("t", f"+3361234560{n}", [1], ip=f"192.0.2.{n}") for n in range(2)]
    services.start_challenge("t", "+33612345609", [], ip="192.0.2.9")  # unknown: no SMS, still counted
    assert len(sms_locmem) == 2 and len(known) == 2
    for number, subjects in (("+33612345607", [1]), ("+33612345608", [])):
        with pytest.raises(services.CodeThrottled) as refused:
            services.start_challenge("t", number, subjects, ip="198.51.100.1")
        assert refused.value.reason == "budget"
    assert "Trop de codes sont demandés en ce moment" in services.throttle_message(refused.value)
    assert counters.budget_hour(settings.CAS_EDUCONNECT_ACADEMY_CODE).peek().count == 3
    assert counters.budget_day(settings.CAS_EDUCONNECT_ACADEMY_CODE).peek().count == 3

"""The twilio backend through the real ``twilio`` client against a local Messages API."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from cas_educonnect.attributes import release
from cas_educonnect.models import Account, RateLimitCounter
from cas_educonnect.routes.sms import counters, services
from cas_educonnect.routes.sms.base import get_sms_backend
from cas_educonnect.routes.sms.models import CodeChallenge, SentSms

from .conftest import MOBILE, choose_password, enter_birth_dates, enter_code, start, text, ticket_attributes
from .twilio_local import LocalTwilioHttpClient, TwilioStub

pytestmark = pytest.mark.django_db

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "test-auth-token-0123456789abcdef"


@pytest.fixture
def twilio(settings):
    with TwilioStub(SID, TOKEN) as stub:
        LocalTwilioHttpClient.base_url = stub.url
        settings.CAS_EDUCONNECT_SMS_BACKEND = "cas_educonnect.routes.sms.backends.twilio.SmsBackend"
        settings.CAS_EDUCONNECT_SMS_TWILIO_ACCOUNT_SID = SID
        settings.CAS_EDUCONNECT_SMS_TWILIO_AUTH_TOKEN = TOKEN
        settings.CAS_EDUCONNECT_SMS_TWILIO_FROM = "+33700000000"
        settings.CAS_EDUCONNECT_SMS_TWILIO_HTTP_CLIENT = "tests.sms.twilio_local.LocalTwilioHttpClient"
        settings.CAS_EDUCONNECT_SMS_TWILIO_TIMEOUT = 0.5
        yield stub


def code_from(stub) -> str:
    return re.search(r"\b(\d{6})\b", stub.messages[-1]["Body"]).group(1)


def test_whole_flow_over_twilio(client, family, service, twilio):
    assert start(client).status_code == 302
    message = twilio.messages[-1]
    assert message["To"] == MOBILE and message["From"] == "+33700000000"
    assert message["Body"].startswith("Votre code ÉduConnect")
    sent = SentSms.objects.get()
    assert sent.status == SentSms.Status.SENT and re.fullmatch(r"SM[0-9a-f]{32}", sent.provider_id)
    assert sent.provider_status == "queued" and sent.backend.endswith("twilio.SmsBackend")
    enter_code(client, code_from(twilio))
    enter_birth_dates(client, family["pupils"])
    user, attributes = ticket_attributes(client, choose_password(client))
    assert user == Account.objects.get().identifier
    assert attributes == release(user)


def test_messaging_service_sid_is_used_when_set(family, twilio, settings):
    settings.CAS_EDUCONNECT_SMS_TWILIO_FROM = ""
    settings.CAS_EDUCONNECT_SMS_TWILIO_MESSAGING_SERVICE_SID = "MG" + "f" * 32
    services.start_challenge("test", MOBILE, [1])
    assert twilio.messages[-1]["MessagingServiceSid"] == "MG" + "f" * 32
    assert "From" not in twilio.messages[-1]


def test_missing_credentials_are_a_configuration_error(settings, twilio):
    settings.CAS_EDUCONNECT_SMS_TWILIO_AUTH_TOKEN = ""
    with pytest.raises(ImproperlyConfigured):
        get_sms_backend()


@pytest.mark.parametrize(
    ("failure", "code"), [(21211, "21211"), (21610, "21610"), (20503, "20503"), ("hang", "timeout")]
)
def test_gateway_failure_is_recorded_refunded_and_never_shown(client, family, twilio, caplog, failure, code):
    """The SMS leaves from a task: its failure cannot reach the page (it would only ever
    happen for known numbers, an oracle); it is recorded and consumes nothing."""
    twilio.failures[MOBILE] = failure
    response = start(client)
    assert response["Location"] == reverse("cas_server:educonnect_sms_code")
    page = text(client.get(response["Location"]))
    assert "+336******78" in page and "SMS n'a pas pu" not in page and "ne peut pas recevoir" not in page
    challenge = CodeChallenge.objects.get()
    assert challenge.send_count == 0 and not challenge.code_hash
    # Nothing consumed: the number's, the IP's and the academy budget's counters are back to 0.
    assert RateLimitCounter.objects.exists() and all(counter.count == 0 for counter in RateLimitCounter.objects.all())
    failed = SentSms.objects.get()
    assert failed.status == SentSms.Status.FAILED and failed.error_code == code
    assert any(code in record.getMessage() for record in caplog.records if record.levelname == "WARNING")
    # Once Twilio works again the same parent goes on, all 3 daily codes still available.
    del twilio.failures[MOBILE]
    for _ in range(3):
        assert start(client).status_code == 302
    assert len(twilio.messages) == 3
    enter_code(client, code_from(twilio))
    assert client.get(reverse("cas_server:educonnect_sms_birth_dates")).status_code == 200


def test_resend_failure_keeps_the_previous_code(client, family, twilio):
    from freezegun import freeze_time

    with freeze_time("2026-03-02 08:00:00") as clock:
        start(client)
        first = code_from(twilio)
        clock.tick(61)
        twilio.failures[MOBILE] = 20500
        response = client.post(reverse("cas_server:educonnect_sms_resend"))
        # The same answer as a resend that worked: the failure happened in the task.
        assert "Si ce numéro est connu, un nouveau code vous a été envoyé" in text(client.get(response["Location"]))
        challenge = CodeChallenge.objects.get()
        assert challenge.send_count == 1 and counters.code_attempts(challenge.public_id).peek().count == 0
        assert enter_code(client, first)["Location"] == reverse("cas_server:educonnect_sms_birth_dates")
        assert counters.number_cap(services.hash_number(MOBILE)).peek().count == 1
    assert SentSms.objects.filter(status=SentSms.Status.FAILED, error_code="20500").count() == 1

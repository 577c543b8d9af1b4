"""Production gateway: Twilio's Messages API through the official ``twilio`` client.

Settings: ``CAS_EDUCONNECT_SMS_TWILIO_ACCOUNT_SID``, ``..._AUTH_TOKEN``, and either
``..._FROM`` (sender number) or ``..._MESSAGING_SERVICE_SID``; ``..._TIMEOUT`` seconds.
``..._HTTP_CLIENT`` may name a ``twilio.http.HttpClient`` subclass (the test suite uses one
to reach a local server; twilio hard-codes ``https://api.twilio.com``).
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from cas_educonnect.conf import settings
from cas_educonnect.routes.sms import base
from cas_educonnect.routes.sms.base import SendResult, SmsDeliveryError
from cas_educonnect.routes.sms.phone import mask_number

logger = logging.getLogger(__name__)

# Twilio error codes with a message of their own; anything else gets the generic one.
USER_MESSAGES = {
    "21211": _(
        "This phone number cannot receive text messages. Check it, or contact your child's school "
        "to update the number it knows."
    ),
    "21614": _(
        "This phone number cannot receive text messages. Check it, or contact your child's school "
        "to update the number it knows."
    ),
    "21610": _(
        "This number has refused text messages from our service (STOP). Reply START to our sender "
        "to allow them again, or use another way to log in."
    ),
}


class SmsBackend(base.SmsBackend):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.account_sid = settings.CAS_EDUCONNECT_SMS_TWILIO_ACCOUNT_SID
        self.auth_token = settings.CAS_EDUCONNECT_SMS_TWILIO_AUTH_TOKEN
        self.sender = settings.CAS_EDUCONNECT_SMS_TWILIO_FROM
        self.messaging_service_sid = settings.CAS_EDUCONNECT_SMS_TWILIO_MESSAGING_SERVICE_SID
        if not (self.account_sid and self.auth_token) or not (self.sender or self.messaging_service_sid):
            raise ImproperlyConfigured(
                "The Twilio SMS backend needs CAS_EDUCONNECT_SMS_TWILIO_ACCOUNT_SID, _AUTH_TOKEN and "
                "either _FROM or _MESSAGING_SERVICE_SID."
            )
        client_path = settings.CAS_EDUCONNECT_SMS_TWILIO_HTTP_CLIENT
        http_class = import_string(client_path) if client_path else TwilioHttpClient
        http_client = http_class(timeout=settings.CAS_EDUCONNECT_SMS_TWILIO_TIMEOUT)
        self.client = Client(self.account_sid, self.auth_token, http_client=http_client)

    def send(self, to: str, body: str) -> SendResult:
        params: dict[str, str] = {"to": to, "body": body}
        if self.messaging_service_sid:
            params["messaging_service_sid"] = self.messaging_service_sid
        else:
            params["from_"] = self.sender
        try:
            message = self.client.messages.create(**params)
        except TwilioRestException as exc:
            code = str(exc.code or exc.status)
            logger.warning("Twilio refused the SMS to %s: HTTP %s, code %s", mask_number(to), exc.status, code)
            raise SmsDeliveryError(code, exc.msg, USER_MESSAGES.get(code)) from exc
        except requests.Timeout as exc:
            logger.warning("Twilio timed out sending to %s", mask_number(to))
            raise SmsDeliveryError("timeout", str(exc)) from exc
        except (requests.RequestException, TwilioException) as exc:
            logger.warning("Twilio unreachable sending to %s: %s", mask_number(to), type(exc).__name__)
            raise SmsDeliveryError("network", str(exc)) from exc
        logger.info("Twilio accepted SMS %s to %s (%s)", message.sid, mask_number(to), message.status)
        return SendResult(provider_id=message.sid or "", status=message.status or "queued")

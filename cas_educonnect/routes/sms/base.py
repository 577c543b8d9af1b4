"""Contract of an SMS gateway, chosen by ``CAS_EDUCONNECT_SMS_BACKEND`` like ``EMAIL_BACKEND``.

A backend sends one text to one E.164 number and returns a :class:`SendResult`; a delivery
failure raises :class:`SmsDeliveryError` carrying the provider's error code (for the logs)
and a French message for the user. Backends never count nor throttle: the code machinery in
``cas_educonnect.routes.sms.services`` does that around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from cas_educonnect.conf import settings


@dataclass(frozen=True)
class SendResult:
    """What the gateway said: its message id (Twilio ``SM...``) and status (``queued``...)."""

    provider_id: str = ""
    status: str = "sent"


class SmsDeliveryError(Exception):
    """The gateway refused or failed to send the SMS.

    ``code`` is the provider's error code (Twilio ``21211``, ``21610``, an HTTP status, or
    ``"timeout"``), logged and recorded; ``user_message`` is what the page shows.
    """

    default_message = _("The text message could not be sent. Please try again in a few minutes.")

    def __init__(self, code: str, detail: str = "", user_message: Any = None) -> None:
        super().__init__(f"SMS delivery failed ({code}): {detail}")
        self.code = str(code)
        self.detail = detail
        self.user_message = user_message or self.default_message


class SmsBackend:
    """Base class: subclasses implement :meth:`send`; keyword arguments are ignored by default."""

    def __init__(self, **kwargs: Any) -> None:
        pass

    def send(self, to: str, body: str) -> SendResult:
        """Send ``body`` to the E.164 number ``to``; raise :class:`SmsDeliveryError` on failure."""
        raise NotImplementedError("SmsBackend subclasses must implement send()")

    @property
    def name(self) -> str:
        """The dotted path recorded with every message sent."""
        return f"{type(self).__module__}.{type(self).__qualname__}"


def get_sms_backend(path: str | None = None, **kwargs: Any) -> SmsBackend:
    """An instance of the configured backend (or of ``path``), read from settings at each call."""
    return import_string(path or settings.CAS_EDUCONNECT_SMS_BACKEND)(**kwargs)

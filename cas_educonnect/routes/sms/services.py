"""Public API of the SMS machinery, for the SMS registration and the FranceConnect link.

Everything another feature needs is importable from here; the modules behind it may move.

Sending and verifying codes (``codes.py``; limits in conf.py, SMS block)::

    from cas_educonnect.routes.sms import services

    number = services.parse_mobile(raw)            # PhoneNumber (accepted mobile) or None
    reps = services.find_representatives(number.as_e164, first_name=None, last_name=None)
    try:
        challenge = services.start_challenge("franceconnect", number.as_e164,
                                             [r.pk for r in reps], ip=services.client_ip(request))
    except services.CodeThrottled as exc:       # exc.reason: number | ip | cooldown | locked
        msg = services.throttle_message(exc)     # French text, exc.retry_at
    # keep str(challenge.public_id) and the E.164 number in the session, never the code
    services.resend_code(public_id, e164, ip=...)   # after CAS_EDUCONNECT_SMS_RESEND_COOLDOWN
    result = services.verify_code(public_id, code)   # VerifyResult(ok, reason, remaining, subject_ids)
    services.verify_message(result)                  # French text for a failed result

The SMS leaves from a background task (``delivery.py``), so the request does the same work
for a known and an unknown number: with no representative found nothing is ever sent, and
``verify_code`` never succeeds, but caps, cooldown, page and response time are the same.
A gateway failure is recorded (``SentSms``), refunded, and never shown: resending works.
``subject_ids`` of a successful result are the representative ids the code proved.

Children and the account (``linking.py``)::

    challenge = services.get_challenge(public_id)              # CodeChallenge or None
    reps = services.representatives_by_ids(result.subject_ids)
    pupils = services.children_of([r.pk for r in reps])        # siblings across schools
    ok, remaining = services.check_birth_dates(challenge, pupils, {pupil.pk: date, ...})
    existing = services.returning_account(ids)                 # already has an activated account?
    identifier = services.target_identifier(reps)              # oldest kept, else a new one
    reg = services.register_account(reps, identifier, password=None or "chosen")
    services.consume(challenge)                                # the proof is used once
    # reg.account is Utilisé and covers all children; reg.closed lists grouped identifiers

Gateways (``base.py``): ``get_sms_backend()``, ``SmsBackend.send(to, body) -> SendResult``;
every send is a ``SentSms`` row. Signals: ``signals.py``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cas_educonnect.core.clientip import client_ip as shared_client_ip
from cas_educonnect.core.ratelimit import lock_message_time
from cas_educonnect.routes.sms.base import SendResult, SmsBackend, SmsDeliveryError, get_sms_backend
from cas_educonnect.routes.sms.codes import (
    CodeThrottled,
    VerifyResult,
    resend_available_at,
    resend_code,
    start_challenge,
    verify_code,
)
from cas_educonnect.routes.sms.linking import (
    Registration,
    check_birth_dates,
    children_of,
    find_representatives,
    register_account,
    representatives_by_ids,
    returning_account,
    same_name,
    target_identifier,
)
from cas_educonnect.routes.sms.models import CodeChallenge
from cas_educonnect.routes.sms.phone import (
    MobileNumberField,
    hash_number,
    is_accepted_mobile,
    mask_number,
    parse_mobile,
)

__all__ = [
    "CodeChallenge",
    "CodeThrottled",
    "MobileNumberField",
    "Registration",
    "SendResult",
    "SmsBackend",
    "SmsDeliveryError",
    "VerifyResult",
    "check_birth_dates",
    "children_of",
    "client_ip",
    "consume",
    "find_representatives",
    "get_challenge",
    "get_sms_backend",
    "hash_number",
    "is_accepted_mobile",
    "mask_number",
    "parse_mobile",
    "register_account",
    "representatives_by_ids",
    "resend_available_at",
    "resend_code",
    "returning_account",
    "same_name",
    "start_challenge",
    "target_identifier",
    "throttle_message",
    "verify_code",
    "verify_message",
]


def client_ip(request: HttpRequest) -> str:
    """The address the per-IP cap counts: the same as the ATEN throttling's (``REMOTE_ADDR``, or
    the forwarding header read from its right end behind trusted proxies, ``core.clientip``)."""
    return shared_client_ip(request) or "unknown"


def get_challenge(public_id: Any) -> CodeChallenge | None:
    """The challenge with this public id, or None (bad or stale session value)."""
    try:
        return CodeChallenge.objects.filter(public_id=public_id).first()
    except (ValueError, TypeError, ValidationError):
        return None


def consume(challenge: CodeChallenge) -> bool:
    """Mark a verified challenge's proof as used; False if it was not verified or already used."""
    with transaction.atomic():
        updated = CodeChallenge.objects.filter(
            pk=challenge.pk, verified_at__isnull=False, consumed_at__isnull=True
        ).update(consumed_at=timezone.now())
    return updated == 1


def _at(retry_at) -> str:
    """« Réessayez après … »: the shared rounding and dating of lock ends."""
    return lock_message_time(retry_at) if retry_at else ""


def throttle_message(exc: CodeThrottled) -> str:
    """The French sentence explaining a CodeThrottled to the user."""
    if exc.reason == "cooldown":
        seconds = max(1, int((exc.retry_at - timezone.now()).total_seconds())) if exc.retry_at else 60
        return _("Please wait %(seconds)s seconds before asking for a new code.") % {"seconds": seconds}
    if exc.reason == "number":
        return _(
            "Too many codes were asked for this phone number. Try again after %(time)s, or contact your child's school."
        ) % {"time": _at(exc.retry_at)}
    if exc.reason == "ip":
        return _("Too many codes were asked from your connection. Try again after %(time)s.") % {
            "time": _at(exc.retry_at)
        }
    if exc.reason == "budget":
        return _("Too many codes are being asked for right now. Try again after %(time)s.") % {
            "time": _at(exc.retry_at)
        }
    return _("This code can no longer be used. Start again to receive a new code.")


def verify_message(result: VerifyResult) -> str:
    """The French sentence explaining a failed VerifyResult to the user."""
    if result.reason == "invalid":
        return ngettext(
            "Incorrect code. %(remaining)s attempt left.",
            "Incorrect code. %(remaining)s attempts left.",
            result.remaining,
        ) % {"remaining": result.remaining}
    if result.reason == "expired":
        return _("This code has expired. Ask for a new code.")
    if result.reason == "locked":
        return _("Too many incorrect codes. Start again to receive a new code.")
    if result.reason == "used":
        return _("This code has already been used.")
    return _("Your request has expired. Please start again.")

"""One-time SMS codes: creation, (re)sending under limits, verification without races.

A code is 6 digits from ``secrets``, stored as an HMAC salted with the challenge's public id,
valid ``CAS_EDUCONNECT_SMS_CODE_VALIDITY`` seconds; wrong tries, resends and requests per
number / per IP are limited (settings in conf.py, SMS block). A gateway failure rolls back
everything it would have consumed: counters are refunded, the previous code stays valid.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from ..conf import settings
from . import limits, signals
from .base import SmsDeliveryError, get_sms_backend
from .models import CodeChallenge, SentSms
from .phone import hash_number, mask_number

logger = logging.getLogger(__name__)


class CodeThrottled(Exception):
    """A limit refuses the request. ``reason``: ``number``, ``ip``, ``cooldown`` or ``locked``."""

    def __init__(self, reason: str, retry_at: datetime.datetime | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_at = retry_at


@dataclass(frozen=True)
class VerifyResult:
    """``ok``; else ``reason`` in ``invalid``, ``expired``, ``locked``, ``used``, ``unknown``."""

    ok: bool
    reason: str = ""
    remaining: int = 0
    subject_ids: list[Any] = field(default_factory=list)


def generate_code(length: int | None = None) -> str:
    """A fresh code of decimal digits from the CSPRNG."""
    length = length or settings.CAS_EDUCONNECT_SMS_CODE_LENGTH
    return "".join(secrets.choice("0123456789") for _ in range(length))


def _hash_code(challenge: CodeChallenge, code: str) -> str:
    return salted_hmac(f"cas_educonnect.sms.code.{challenge.public_id}", code, algorithm="sha256").hexdigest()


def _reserve(number_hash: str, ip: str | None) -> list[str]:
    """Count one code request for the number and the IP; raise CodeThrottled if a cap is reached."""
    plan = [(f"sms:number:{number_hash}", "number", "NUMBER")]
    if ip:
        plan.append((f"sms:ip:{ip}", "ip", "IP"))
    taken: list[str] = []
    for key, reason, name in plan:
        result = limits.hit(
            key,
            getattr(settings, f"CAS_EDUCONNECT_SMS_{name}_LIMIT"),
            getattr(settings, f"CAS_EDUCONNECT_SMS_{name}_WINDOW"),
        )
        if not result.allowed:
            for done in taken:
                limits.refund(done)
            raise CodeThrottled(reason, result.retry_at)
        taken.append(key)
    return taken


def _deliver(challenge: CodeChallenge, number: str, code: str) -> None:
    """Send the code text; record the attempt either way; raise SmsDeliveryError on failure."""
    backend = get_sms_backend()
    body = render_to_string(
        settings.CAS_EDUCONNECT_SMS_MESSAGE_TEMPLATE,
        {"code": code, "validity_minutes": settings.CAS_EDUCONNECT_SMS_CODE_VALIDITY // 60},
    ).strip()
    row = SentSms(
        purpose=challenge.purpose,
        number_hash=challenge.number_hash,
        number_masked=challenge.number_masked,
        backend=backend.name,
    )
    try:
        result = backend.send(number, body)
    except SmsDeliveryError as exc:
        row.status, row.error_code = SentSms.Status.FAILED, exc.code[:32]
        row.save()
        logger.warning("SMS %s to %s failed: code %s", challenge.purpose, challenge.number_masked, exc.code)
        signals.sms_failed.send(sender=CodeChallenge, challenge=challenge, error_code=exc.code)
        raise
    row.status = SentSms.Status.SENT
    row.provider_id, row.provider_status = result.provider_id[:64], result.status[:32]
    row.save()
    signals.sms_sent.send(sender=CodeChallenge, challenge=challenge, sent=row)


def start_challenge(purpose: str, number: str, subject_ids: list[Any], ip: str | None = None) -> CodeChallenge:
    """Open a challenge for the E.164 ``number`` and send a code if ``subject_ids`` is not empty.

    With no subjects (unknown number) nothing is sent but the challenge looks the same to the
    caller, so pages cannot tell known from unknown numbers; limits apply to both.
    Raises CodeThrottled (a cap is reached) or SmsDeliveryError (nothing consumed).
    """
    number_hash = hash_number(number)
    reserved = _reserve(number_hash, ip)
    now = timezone.now()
    challenge = CodeChallenge(
        purpose=purpose,
        number_hash=number_hash,
        number_masked=mask_number(number),
        subject_ids=list(subject_ids),
        expires_at=now + datetime.timedelta(seconds=settings.CAS_EDUCONNECT_SMS_CODE_VALIDITY),
        sent_at=now,
    )
    if subject_ids:
        code = generate_code()
        challenge.code_hash = _hash_code(challenge, code)
        challenge.send_count = 1
        try:
            _deliver(challenge, number, code)
        except SmsDeliveryError:
            for key in reserved:
                limits.refund(key)
            raise
    challenge.save()
    return challenge


def resend_code(public_id: Any, number: str, ip: str | None = None) -> CodeChallenge:
    """Send a new code for the challenge (the previous one dies), after the cooldown.

    ``number`` is the E.164 number the caller kept; it must be the challenge's. Raises
    CodeThrottled (cooldown, caps, or a dead challenge) or SmsDeliveryError (the previous
    code stays valid and nothing is counted).
    """
    with transaction.atomic():
        challenge = CodeChallenge.objects.select_for_update().get(public_id=public_id)
        if challenge.number_hash != hash_number(number):
            raise CodeChallenge.DoesNotExist("number does not match the challenge")
        now = timezone.now()
        if challenge.verified_at or challenge.failed_attempts >= settings.CAS_EDUCONNECT_SMS_CODE_MAX_ATTEMPTS:
            raise CodeThrottled("locked")
        cooldown_end = (challenge.sent_at or challenge.created_at) + datetime.timedelta(
            seconds=settings.CAS_EDUCONNECT_SMS_RESEND_COOLDOWN
        )
        if now < cooldown_end:
            raise CodeThrottled("cooldown", cooldown_end)
        reserved = _reserve(challenge.number_hash, ip)
        error: SmsDeliveryError | None = None
        if challenge.subject_ids:
            code = generate_code()
            try:
                _deliver(challenge, number, code)
            except SmsDeliveryError as exc:
                # Commit the refund and the failed-send row, keep the previous code.
                for key in reserved:
                    limits.refund(key)
                error = exc
            else:
                challenge.code_hash = _hash_code(challenge, code)
                challenge.send_count += 1
        if error is None:
            challenge.sent_at = now
            challenge.expires_at = now + datetime.timedelta(seconds=settings.CAS_EDUCONNECT_SMS_CODE_VALIDITY)
            challenge.save(update_fields=["code_hash", "send_count", "sent_at", "expires_at"])
    if error is not None:
        raise error
    return challenge


def resend_available_at(challenge: CodeChallenge) -> datetime.datetime:
    """When :func:`resend_code` will accept the next request (cooldown only)."""
    return (challenge.sent_at or challenge.created_at) + datetime.timedelta(
        seconds=settings.CAS_EDUCONNECT_SMS_RESEND_COOLDOWN
    )


def verify_code(public_id: Any, code: str) -> VerifyResult:
    """Check ``code`` against the challenge, once; wrong tries are counted under a row lock.

    Returns a VerifyResult; on success the challenge is marked verified (a replay gets ``used``)
    and ``subject_ids`` says what the code proved.
    """
    code = "".join((code or "").split())
    maximum = settings.CAS_EDUCONNECT_SMS_CODE_MAX_ATTEMPTS
    with transaction.atomic():
        challenge = CodeChallenge.objects.select_for_update().filter(public_id=public_id).first()
        if challenge is None:
            return VerifyResult(False, "unknown")
        if challenge.verified_at:
            return VerifyResult(False, "used")
        if challenge.failed_attempts >= maximum:
            return VerifyResult(False, "locked")
        if timezone.now() >= challenge.expires_at:
            return VerifyResult(False, "expired", maximum - challenge.failed_attempts)
        candidate = _hash_code(challenge, code)
        # Compare even when no code was sent, so unknown numbers cost the same.
        matches = constant_time_compare(candidate, challenge.code_hash or "0" * len(candidate))
        if not (matches and challenge.code_hash):
            challenge.failed_attempts += 1
            challenge.save(update_fields=["failed_attempts"])
            remaining = maximum - challenge.failed_attempts
            signals.verification_failed.send(sender=CodeChallenge, challenge=challenge, remaining=remaining)
            return VerifyResult(False, "locked" if remaining <= 0 else "invalid", remaining)
        challenge.verified_at = timezone.now()
        challenge.code_hash = ""
        challenge.save(update_fields=["verified_at", "code_hash"])
    return VerifyResult(True, "ok", maximum - challenge.failed_attempts, list(challenge.subject_ids))

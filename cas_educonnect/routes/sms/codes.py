"""One-time SMS codes: creation, (re)sending under limits, verification without races.

A code is 6 digits from ``secrets``, stored as an HMAC salted with the challenge's public id,
valid ``CAS_EDUCONNECT_SMS_CODE_VALIDITY`` seconds; wrong tries, resends and requests per
number / per IP are limited (settings in conf.py, SMS block). The code is generated and sent
by a background task (``delivery.py``: why), never in the request; a gateway failure there
gives back what it consumed: counters are refunded, the previous code stays valid.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from cas_educonnect.conf import settings
from cas_educonnect.routes.sms import delivery, limits, signals
from cas_educonnect.routes.sms.models import CodeChallenge
from cas_educonnect.routes.sms.phone import hash_number, mask_number


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


def start_challenge(purpose: str, number: str, subject_ids: list[Any], ip: str | None = None) -> CodeChallenge:
    """Open a challenge for the E.164 ``number`` and queue its code delivery (``delivery.py``).

    Known or unknown number (empty ``subject_ids``), the request does the same work: caps,
    the challenge row, one task queued; only the task finds whether anyone gets an SMS, so
    neither the page nor the response time tells the two apart. Raises CodeThrottled.
    """
    number_hash = hash_number(number)
    reserved = _reserve(number_hash, ip)
    now = timezone.now()
    challenge = CodeChallenge.objects.create(
        purpose=purpose,
        number_hash=number_hash,
        number_masked=mask_number(number),
        subject_ids=list(subject_ids),
        expires_at=now + datetime.timedelta(seconds=settings.CAS_EDUCONNECT_SMS_CODE_VALIDITY),
        sent_at=now,
    )
    delivery.enqueue(challenge, number, reserved)
    return challenge


def resend_code(public_id: Any, number: str, ip: str | None = None) -> CodeChallenge:
    """Queue a new code for the challenge (the previous one dies once it is sent), after the cooldown.

    ``number`` is the E.164 number the caller kept; it must be the challenge's. Raises
    CodeThrottled (cooldown, caps, or a dead challenge) or CodeChallenge.DoesNotExist. The
    cooldown and the validity restart now; if the gateway then fails, the previous code
    stays valid and the counters are refunded (``delivery.deliver_code``).
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
        challenge.sent_at = now
        challenge.expires_at = now + datetime.timedelta(seconds=settings.CAS_EDUCONNECT_SMS_CODE_VALIDITY)
        challenge.save(update_fields=["sent_at", "expires_at"])
    # Queued once the row is committed: a database worker must see the new expiry.
    delivery.enqueue(challenge, number, reserved)
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
        candidate = delivery.hash_code(challenge, code)
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

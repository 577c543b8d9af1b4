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
from cas_educonnect.core.ratelimit import hit_all
from cas_educonnect.routes.sms import counters, delivery, signals
from cas_educonnect.routes.sms.models import CodeChallenge
from cas_educonnect.routes.sms.phone import hash_number, mask_number


class CodeThrottled(Exception):
    """A limit refuses the request. ``reason``: ``number``, ``ip``, ``budget``, ``cooldown`` or ``locked``."""

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


def _reserve(number_hash: str, ip: str | None) -> list[list[str]]:
    """Count one code request for the number, the IP and the academy; raise CodeThrottled if a cap is reached.

    Returns the ``[scope, key]`` of each cap counted, for the delivery to refund on failure.
    """
    plan = [("sms_number", number_hash, "number")] + ([("sms_ip", ip, "ip")] if ip else [])
    # Counted for known and unknown numbers alike (and kept when nobody gets an SMS), so the
    # budget's state tells nothing about a number.
    academy = settings.CAS_EDUCONNECT_ACADEMY_CODE or "-"
    plan += [("sms_budget_hour", academy, "budget"), ("sms_budget_day", academy, "budget")]
    refused = hit_all([counters.cap(scope, key) for scope, key, _reason in plan])
    if refused:
        reason = {scope: reason for scope, _key, reason in plan}[refused[0].scope]
        raise CodeThrottled(reason, refused[0].retry_at)
    return [[scope, key] for scope, key, _reason in plan]


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
        if challenge.verified_at or counters.dead(challenge.public_id):
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
    """Check ``code`` against the challenge, once; every try is counted before the comparison.

    Returns a VerifyResult; on success the challenge is marked verified (a replay gets ``used``,
    so its counted try never matters) and ``subject_ids`` says what the code proved.
    """
    code = "".join((code or "").split())
    with transaction.atomic():
        challenge = CodeChallenge.objects.select_for_update().filter(public_id=public_id).first()
        if challenge is None:
            return VerifyResult(False, "unknown")
        if challenge.verified_at:
            return VerifyResult(False, "used")
        attempts = counters.code_attempts(challenge.public_id)
        if timezone.now() >= challenge.expires_at:
            seen = attempts.peek()
            return VerifyResult(False, "expired" if seen.allowed else "locked", seen.remaining)
        tried = attempts.hit()
        if not tried.allowed:
            return VerifyResult(False, "locked")
        candidate = delivery.hash_code(challenge, code)
        # Compare even when no code was sent, so unknown numbers cost the same.
        matches = constant_time_compare(candidate, challenge.code_hash or "0" * len(candidate))
        if not (matches and challenge.code_hash):
            remaining = tried.remaining
            signals.verification_failed.send(sender=CodeChallenge, challenge=challenge, remaining=remaining)
            return VerifyResult(False, "locked" if remaining <= 0 else "invalid", remaining)
        challenge.verified_at = timezone.now()
        challenge.code_hash = ""
        challenge.save(update_fields=["verified_at", "code_hash"])
    return VerifyResult(True, "ok", tried.remaining + 1, list(challenge.subject_ids))

"""SMS codes leave through a background task, never inside the request that asked for them.

Why: a known number costs a gateway call (Twilio: an HTTPS round trip of a few hundred
milliseconds) and an unknown number costs nothing, so a request that sent the SMS itself
would answer later for numbers that are in the directory: its response time would tell
what the identical pages hide. The request therefore does the same work for every number
(caps, challenge row, one task enqueued through :func:`enqueue`), and :func:`deliver_code`,
run by the task worker (``CAS_EDUCONNECT_TASK_BACKEND``), is the only place that decides
whether there is anyone to send to.

The task generates the code itself, so no code ever sits in the queue; the number and the
counters to refund travel sealed (Fernet, keys from ``core.crypto.derive_keys``), because the
queue table keeps a task's arguments after it ran. A gateway failure cannot be shown to
the person any more (showing it only for known numbers would be an oracle too): it is
recorded (``SentSms``, logs, ``sms_failed``), the counters are refunded and a resend works.

With django-tasks' ``ImmediateBackend`` (tests, demo) the task runs inside the request:
check ``educonnect_sms.W002`` warns when a real gateway is used that way.
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any

from cryptography.fernet import InvalidToken, MultiFernet
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_tasks import task

from cas_educonnect.conf import settings
from cas_educonnect.core.crypto import multi_fernet
from cas_educonnect.routes.sms import counters, signals
from cas_educonnect.routes.sms.base import SmsDeliveryError, get_sms_backend
from cas_educonnect.routes.sms.models import CodeChallenge, SentSms

logger = logging.getLogger(__name__)

KEY_PURPOSE = "routes.sms.delivery"


def generate_code(length: int | None = None) -> str:
    """A fresh code of decimal digits from the CSPRNG."""
    length = length or settings.CAS_EDUCONNECT_SMS_CODE_LENGTH
    return "".join(secrets.choice("0123456789") for _ in range(length))


def hash_code(challenge: CodeChallenge, code: str) -> str:
    """What ``CodeChallenge.code_hash`` stores: an HMAC of the code salted with the public id."""
    return salted_hmac(f"cas_educonnect.routes.sms.code.{challenge.public_id}", code, algorithm="sha256").hexdigest()


def send_code(challenge: CodeChallenge, number: str, code: str) -> None:
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


def _fernet() -> MultiFernet:
    """Fernet keys derived from SECRET_KEY, then its fallbacks (a rotation keeps queued tasks)."""
    return multi_fernet(KEY_PURPOSE)


def seal(number: str, refund: list[list[str]]) -> str:
    """The opaque task argument carrying the E.164 ``number`` and the ``[scope, key]`` caps to refund."""
    return _fernet().encrypt(json.dumps({"number": number, "refund": refund}).encode()).decode()


def unseal(token: str) -> dict[str, Any] | None:
    """What :func:`seal` sealed, or None if the token was not made with our keys."""
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return None


def enqueue(challenge: CodeChallenge, number: str, refund: list[list[str]]) -> None:
    """Queue one delivery for ``challenge``: the same call whether or not anyone will get an SMS."""
    deliver_code.using(backend=settings.CAS_EDUCONNECT_TASK_BACKEND).enqueue(
        str(challenge.public_id), seal(number, refund)
    )


def _alive(challenge: CodeChallenge) -> bool:
    return (
        not challenge.verified_at
        and not challenge.consumed_at
        and not counters.dead(challenge.public_id)
        and timezone.now() < challenge.expires_at
    )


@task()
def deliver_code(public_id: str, sealed: str) -> str:
    """Send a fresh code for the challenge if it has subjects; returns what happened.

    ``nobody`` (unknown number: nothing to send), ``dead`` (verified, locked or expired
    meanwhile: nothing sent, counters refunded), ``failed`` (gateway error: recorded,
    counters refunded, the previous code, if any, stays valid) or ``sent``. The row lock
    orders deliveries of one challenge, so the code stored is the one last sent.
    """
    payload = unseal(sealed)
    if payload is None:
        logger.warning("SMS delivery %s dropped: its argument does not decrypt", public_id)
        return "invalid"
    with transaction.atomic():
        challenge = CodeChallenge.objects.select_for_update().filter(public_id=public_id).first()
        if challenge is None or not challenge.subject_ids:
            return "nobody"
        if not _alive(challenge):
            outcome = "dead"
        else:
            code = generate_code()
            try:
                send_code(challenge, payload["number"], code)
            except SmsDeliveryError:
                outcome = "failed"
            else:
                challenge.code_hash = hash_code(challenge, code)
                challenge.send_count += 1
                challenge.save(update_fields=["code_hash", "send_count"])
                return "sent"
        for entry in payload["refund"]:
            if isinstance(entry, list):  # [scope, key]; a task queued by an older release holds a str
                counters.cap(*entry).refund()
    logger.info("SMS delivery for %s: %s", challenge.number_masked, outcome)
    return outcome

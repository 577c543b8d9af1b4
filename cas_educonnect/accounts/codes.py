"""ATEN activation codes (CAR, CAE): issued for a letter, checked with a birth date, used up at activation.

A code is 16 characters of an alphabet without look-alikes, printed ``ABCD-EFGH-JKMN-PQRS``.
Its first :data:`LOOKUP_LENGTH` characters are stored in clear and find the row; the other
ones (about 49 bits) only as a Django password hash (Argon2 with the project's hashers),
so a database dump gives no usable code. An unknown lookup still costs one hash, so the
time of an answer does not tell whether a code exists. The clear code exists only while
the letter carrying it is built: reprinting a letter issues a new code, and the earlier
ones stay valid until they expire (a reprint must not make letters already sent useless);
staff invalidate them all (refusal of the service) or regenerate them.

Throttling is the caller's (the ATEN code page): wrong codes per client IP, wrong birth
dates per account. The life cycle (``accounts.lifecycle``) deletes an account's codes when
its activation starts, when it is purged or closed.
"""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from cas_educonnect.conf import settings
from cas_educonnect.models import (
    Account,
    AccountKind,
    AccountState,
    ActivationCode,
    ActivationCodeKind,
    Establishment,
    LegalStatus,
    Pupil,
)

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
LOOKUP_LENGTH = 6
SECRET_LENGTH = 10
GROUP = 4


def codes_enabled(establishment: Establishment | None = None) -> bool:
    """Whether activation codes are distributed (by ``establishment``'s academy, when given).

    ``CAS_EDUCONNECT_ATEN_ACTIVATION_CODES`` is a boolean or a list of academy codes; with a
    list and no school, whether any academy distributes them (the code page is served).
    """
    setting = settings.CAS_EDUCONNECT_ATEN_ACTIVATION_CODES
    if isinstance(setting, bool):
        return setting
    academies = {str(code).strip().upper() for code in setting or ()}
    if establishment is None:
        return bool(academies)
    academy = establishment.academy_code or settings.CAS_EDUCONNECT_ACADEMY_CODE
    return academy.strip().upper() in academies


def normalize(typed: str) -> str:
    """What the user typed, without spaces and dashes, upper case."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def display(code: str) -> str:
    """``ABCDEFGHJKMNPQRS`` as printed: groups of four joined by dashes."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _pair_representative(account: Account, pupil: Pupil):
    """The representative of ``account`` linked to ``pupil`` (the pair of a CAR), else any."""
    people = list(account.representatives.all())
    linked = [p for p in people if p.links.filter(pupil=pupil, closed_at__isnull=True).exists()]
    return (linked or people or [None])[0]


def issue(account: Account, pupil: Pupil | None, *, now: datetime.datetime | None = None) -> str | None:
    """A new code for the (account, pupil) pair, printed as ``ABCD-EFGH-JKMN-PQRS``; or None.

    None when the pupil's school does not distribute codes or the account cannot use one
    (not waiting for its first login, refused, or no pupil with a birth date to check).
    """
    if pupil is None or pupil.birth_date is None or account.refused:
        return None
    if account.state != AccountState.NOTIFIED or account.password or account.kind == AccountKind.LEGACY:
        return None
    if not codes_enabled(pupil.establishment):
        return None
    now = now or timezone.now()
    is_pupil = account.kind == AccountKind.PUPIL
    if is_pupil and not account.pupils.filter(pk=pupil.pk).exists():
        return None
    if (
        not is_pupil
        and not pupil.links.filter(
            representative__in=account.representatives.all(), closed_at__isnull=True, legal=LegalStatus.LEGAL
        ).exists()
    ):
        return None
    secret = _random(SECRET_LENGTH)
    fields = {
        "account": account,
        "pupil": pupil,
        "representative": None if is_pupil else _pair_representative(account, pupil),
        "establishment_id": pupil.establishment_id,
        "kind": ActivationCodeKind.PUPIL if is_pupil else ActivationCodeKind.REPRESENTATIVE,
        "secret_hash": make_password(secret),
        "expires_at": now + datetime.timedelta(seconds=settings.CAS_EDUCONNECT_ATEN_ACTIVATION_CODE_VALIDITY),
    }
    for _attempt in range(8):  # a lookup already taken (one chance in ~10^8 per live code): draw again
        lookup = _random(LOOKUP_LENGTH)
        try:
            with transaction.atomic():
                ActivationCode.objects.create(lookup=lookup, **fields)
        except IntegrityError:
            continue
        return display(lookup + secret)
    raise RuntimeError("no free activation code lookup")


def find(typed: str, *, now: datetime.datetime | None = None) -> ActivationCode | None:
    """The live code ``typed`` is (with its account, pupil and school), or None; constant time."""
    code = normalize(typed)
    lookup, secret = code[:LOOKUP_LENGTH], code[LOOKUP_LENGTH:]
    row = None
    if len(code) == LOOKUP_LENGTH + SECRET_LENGTH:
        row = (
            ActivationCode.objects.filter(lookup=lookup, expires_at__gt=now or timezone.now())
            .select_related("account", "pupil", "establishment")
            .first()
        )
    if row is None:
        make_password(secret)  # the same work as a check: the answer's time tells nothing
        return None
    return row if check_password(secret, row.secret_hash) else None


def birth_date_matches(code: ActivationCode, value: datetime.date | None) -> bool:
    """Whether ``value`` is the birth date of the code's pupil (the child, or the pupil himself)."""
    return value is not None and code.pupil.birth_date is not None and value == code.pupil.birth_date


def invalidate(account: Account) -> int:
    """Delete every code of ``account`` (used up, refused, regenerated); returns how many."""
    deleted, _per_model = ActivationCode.objects.filter(account=account).delete()
    return deleted


def live_codes(account: Account, *, now: datetime.datetime | None = None):
    """The account's codes still valid (for the staff support page: never their secret)."""
    return ActivationCode.objects.filter(account=account, expires_at__gt=now or timezone.now()).select_related(
        "pupil", "establishment"
    )


def purge_expired(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Delete the codes past their validity (``educonnect_purge``); returns how many."""
    expired = ActivationCode.objects.filter(expires_at__lte=now or timezone.now())
    if dry_run:
        return expired.count()
    deleted, _per_model = expired.delete()
    return deleted

"""Normalized identifiers ``prenom.nom[N]``: lowercase ASCII, first free suffix, never reused."""

from __future__ import annotations

import re
import unicodedata

from django.db import IntegrityError, transaction

from ..conf import settings

_DROP = re.compile(r"[\s'’`´\"]+")
_INVALID = re.compile(r"[^a-z0-9-]+")
_HYPHENS = re.compile(r"-{2,}")
# Letters that NFKD does not decompose into ASCII.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "Æ": "ae",
        "Œ": "oe",
        "Ø": "o",
        "Ł": "l",
        "Đ": "d",
        "Þ": "th",
    }
)


def fold(name: str) -> str:
    """One name part folded to ``[a-z0-9-]``: accents removed, spaces and apostrophes dropped."""
    text = unicodedata.normalize("NFKD", (name or "").translate(_SPECIAL))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _DROP.sub("", text)
    text = _INVALID.sub("", text.encode("ascii", "ignore").decode())
    return _HYPHENS.sub("-", text).strip("-")


def base_identifier(first_name: str, last_name: str) -> str:
    """``prenom.nom`` without suffix, capped so that a suffix still fits the maximum length."""
    room = settings.CAS_EDUCONNECT_IDENTIFIER_MAX_LENGTH - 6  # the dot is counted, suffix up to 5 digits
    first, last = fold(first_name), fold(last_name)
    if not last:
        last = "eleve" if not first else ""
    parts = [p for p in (first, last) if p]
    base = ".".join(parts) or "compte"
    return base[:room].strip(".-")


def allocate_identifier(first_name: str, last_name: str) -> str:
    """Reserve and return the first free ``base``, ``base1``, ``base2``... (never reused).

    Reservation goes through the unique ``UsedIdentifier`` row, so two concurrent imports
    can never hand out the same identifier.
    """
    from ..models import UsedIdentifier

    base = base_identifier(first_name, last_name)
    taken = set(UsedIdentifier.objects.filter(identifier__startswith=base).values_list("identifier", flat=True))
    suffix = 0
    while True:
        candidate = base if suffix == 0 else f"{base}{suffix}"
        suffix += 1
        if candidate in taken:
            continue
        try:
            with transaction.atomic():
                UsedIdentifier.objects.create(identifier=candidate)
        except IntegrityError:
            continue
        return candidate

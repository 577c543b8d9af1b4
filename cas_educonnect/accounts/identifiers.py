"""Normalized identifiers ``prenom.nom[N]``: lowercase ASCII, first free suffix, never reused.

Every identifier ever handed out has a ``UsedIdentifier`` row (unique), recorded with the
``base`` it was numbered from, so the first free number of a base is one indexed query
away, and bulk allocation (an academy import: 1 M names) costs a few queries per thousand
names instead of one per name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.core.signals import setting_changed
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone

from cas_educonnect.conf import settings
from cas_educonnect.core.db import adapt, insert
from cas_educonnect.models import Account, UsedIdentifier

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
# Room kept for the numeric suffix (up to 99999 homonyms per base).
SUFFIX_ROOM = 5
FALLBACK = "compte"
BATCH = 2000


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """One name part folded to ``[a-z0-9-]``: accents removed, spaces and apostrophes dropped."""
    text = unicodedata.normalize("NFKD", (name or "").translate(_SPECIAL))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _DROP.sub("", text)
    text = _INVALID.sub("", text.encode("ascii", "ignore").decode())
    return _HYPHENS.sub("-", text).strip("-")


@lru_cache(maxsize=1 << 16)
def base_identifier(first_name: str, last_name: str) -> str:
    """``prenom.nom`` without suffix, capped so that a suffix still fits the maximum length.

    A part that folds to nothing is left out (``nom`` alone, ``prenom`` alone); if both do,
    the base is ``compte``. Each part is shortened in turn, so both stay visible.
    """
    room = settings.CAS_EDUCONNECT_IDENTIFIER_MAX_LENGTH - SUFFIX_ROOM
    parts = [p for p in (fold(first_name), fold(last_name)) if p]
    if not parts:
        return FALLBACK
    if len(".".join(parts)) > room and len(parts) == 2:
        half = (room - 1) // 2
        first, last = parts
        if len(first) > half and len(last) > room - 1 - half:
            first, last = first[:half], last[: room - 1 - half]
        elif len(first) > half:
            first = first[: room - 1 - len(last)]
        else:
            last = last[: room - 1 - len(first)]
        parts = [first.strip("-"), last.strip("-")]
    base = ".".join(p for p in parts if p)[:room].strip(".-")
    return base or FALLBACK


@receiver(setting_changed)
def reset_base_identifiers(*, setting: str, **kwargs) -> None:
    """Forget the cached bases when the maximum length changes (as Django's ``reset_hashers``)."""
    if setting == "CAS_EDUCONNECT_IDENTIFIER_MAX_LENGTH":
        base_identifier.cache_clear()


def _taken(bases: Iterable[str]) -> dict[str, set[str]]:

    result: dict[str, set[str]] = {}
    bases = list(set(bases))
    for start in range(0, len(bases), BATCH):
        chunk = bases[start : start + BATCH]
        for base, identifier in UsedIdentifier.objects.filter(base__in=chunk).values_list("base", "identifier"):
            result.setdefault(base, set()).add(identifier)
    return result


def _existing(candidates: list[str]) -> set[str]:
    """Candidates already handed out, or used by an account created without the allocator."""

    found = set(UsedIdentifier.objects.filter(identifier__in=candidates).values_list("identifier", flat=True))
    return found | set(Account.objects.filter(identifier__in=candidates).values_list("identifier", flat=True))


def _first_free(base: str, taken: set[str], start: int = 0) -> tuple[str, int]:
    suffix = start
    while True:
        candidate = base if suffix == 0 else f"{base}{suffix}"
        if candidate not in taken:
            return candidate, suffix
        suffix += 1


def allocate_identifiers(names: Sequence[tuple[str, str]]) -> list[str]:
    """Reserve one identifier per ``(first_name, last_name)``, in order, in bulk.

    Homonyms in ``names`` get ``base``, ``base1``, ... in the order given. Call it inside
    the caller's transaction: reservations vanish with a rollback, which is what an
    all-or-nothing import wants. Names that differ but share a spelling with a numbered
    identifier (``louis.xiv2`` vs ``louis.xiv`` + 2) are resolved by checking candidates
    against the whole table before inserting.
    """

    result: list[str] = []
    for start in range(0, len(names), BATCH):
        chunk = [base_identifier(first, last) for first, last in names[start : start + BATCH]]
        taken = _taken(chunk)
        while True:
            candidates: list[str] = []
            local: dict[str, set[str]] = {}
            for base in chunk:
                used = taken.setdefault(base, set())
                identifier, _suffix = _first_free(base, used | local.setdefault(base, set()))
                local[base].add(identifier)
                candidates.append(identifier)
            clash = _existing(candidates)
            seen: set[str] = set()
            retry = False
            for base, identifier in zip(chunk, candidates, strict=True):
                # Taken in the table, or by an earlier name of this chunk ("a.b" + "1" == "a.b1").
                if identifier in clash or identifier in seen:
                    taken[base].add(identifier)
                    retry = True
                seen.add(identifier)
            if not retry:
                break
        now = adapt(timezone.now())
        insert(
            UsedIdentifier,
            ["identifier", "base", "created_at"],
            [(i, b, now) for i, b in zip(candidates, chunk, strict=True)],
        )
        result.extend(candidates)
    return result


def allocate_identifier(first_name: str, last_name: str) -> str:
    """Reserve and return the first free ``base``, ``base1``, ``base2``... (never reused).

    Reservation goes through the unique ``UsedIdentifier`` row, so two concurrent callers
    can never hand out the same identifier: the loser retries with the next number.
    """

    base = base_identifier(first_name, last_name)
    taken = _taken([base]).get(base, set())
    suffix = 0
    while True:
        candidate, suffix = _first_free(base, taken, suffix)
        if _existing([candidate]):
            taken.add(candidate)
            continue
        try:
            with transaction.atomic():
                UsedIdentifier.objects.create(identifier=candidate, base=base)
        except IntegrityError:
            taken.add(candidate)
            continue
        return candidate

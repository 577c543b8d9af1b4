"""Which directory person a legacy account belongs to: by AAF jointure, else by names and birth date.

Pupils: jointure, or (folded names + birth date) matching exactly one pupil.
Representatives: jointure, or (folded names + email) matching exactly one representative;
the switch then checks the children's birth dates, which is the proof of identity.
"""

from __future__ import annotations

from django.db.models import Q

from cas_educonnect.accounts.identifiers import fold
from cas_educonnect.models import Account, Pupil, Representative
from cas_educonnect.routes.legacy.base import LegacyCategory
from cas_educonnect.routes.legacy.models import LegacyProfile

Person = Pupil | Representative


def _same_names(person: Person, profile: LegacyProfile) -> bool:
    return fold(person.last_name) == fold(profile.last_name) and fold(person.first_name) == fold(profile.first_name)


def match_person(profile: LegacyProfile, email: str = "") -> Person | None:
    """The directory person of ``profile``, or None when unknown or ambiguous."""
    if profile.category == LegacyCategory.PUPIL:
        if profile.jointure:
            return Pupil.objects.filter(jointure=profile.jointure).first()
        if not (profile.birth_date and profile.last_name):
            return None
        candidates = [
            p
            for p in Pupil.objects.filter(birth_date=profile.birth_date, left_at__isnull=True)
            if _same_names(p, profile)
        ]
        return candidates[0] if len(candidates) == 1 else None
    if profile.category == LegacyCategory.REPRESENTATIVE:
        if profile.jointure:
            return Representative.objects.filter(jointure=profile.jointure).first()
        if not (email and profile.last_name):
            return None
        candidates = [r for r in Representative.objects.filter(email__iexact=email) if _same_names(r, profile)]
        return candidates[0] if len(candidates) == 1 else None
    return None


def link_account(account: Account, person: Person | None) -> bool:
    """Make ``account`` cover ``person`` (so it releases the same attributes); True if it changed."""
    if person is None:
        return False
    relation = account.pupils if isinstance(person, Pupil) else account.representatives
    if relation.filter(pk=person.pk).exists():
        return False
    relation.add(person)
    return True


def children_to_confirm(person: Person) -> list[Pupil]:
    """The pupils whose birth date proves the switch: the pupil himself, or a parent's open children."""
    if isinstance(person, Pupil):
        return [person]
    return list(
        Pupil.objects.filter(Q(links__representative=person, links__closed_at__isnull=True), left_at__isnull=True)
        .exclude(birth_date__isnull=True)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )

"""Pre-creation of accounts after an import (state *not notified*, no credentials yet).

One account per pupil still in the academy, and one per representative record that is a
legal representative (or, with ``CAS_EDUCONNECT_IMPORT_PERSONS_IN_CHARGE``, a person in
charge) of at least one such pupil, covering all its children whatever their schools.
Records of the same human in different schools stay separate accounts: grouping is the
person's choice (ATEN route) or needs a proof (SMS, FranceConnect). Persons who already
have an account (any state) keep it: a pupil changing school keeps his identifier.
"""

from __future__ import annotations

from ..conf import settings
from ..models import Account, AccountKind, Pupil, Representative
from .identifiers import allocate_identifiers

CHUNK = 2000


def _create(kind: str, rows: list[tuple[int, str, str]], through, person_field: str) -> int:
    identifiers = allocate_identifiers([(first, last) for _pk, first, last in rows])
    accounts = Account.objects.bulk_create([Account(identifier=i, kind=kind) for i in identifiers], batch_size=CHUNK)
    through.objects.bulk_create(
        [through(account_id=a.pk, **{person_field: pk}) for a, (pk, _f, _l) in zip(accounts, rows, strict=True)],
        batch_size=CHUNK,
    )
    return len(accounts)


def _missing(queryset):
    """Primary keys and names of the persons without an account, a chunk at a time."""
    rows = list(queryset.filter(accounts__isnull=True).order_by("pk").values_list("pk", "first_name", "last_name"))
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def provision_accounts() -> int:
    """Create the missing accounts; return how many were created."""
    created = 0
    for rows in _missing(Pupil.objects.filter(left_at__isnull=True)):
        created += _create(AccountKind.PUPIL, rows, Account.pupils.through, "pupil_id")
    legal = [1, 2] if settings.CAS_EDUCONNECT_IMPORT_PERSONS_IN_CHARGE else [1]
    representatives = Representative.objects.filter(
        left_at__isnull=True,
        pk__in=Representative.objects.filter(
            links__closed_at__isnull=True, links__legal__in=legal, links__pupil__left_at__isnull=True
        ).values("pk"),
    )
    for rows in _missing(representatives):
        created += _create(AccountKind.REPRESENTATIVE, rows, Account.representatives.through, "representative_id")
    return created

"""Pre-creation of accounts after an import (state *not notified*, no credentials yet).

One account per pupil still in the academy, and one per representative record that is a
legal representative (or, with ``CAS_EDUCONNECT_IMPORT_PERSONS_IN_CHARGE``, a person in
charge) of at least one such pupil, covering all its children whatever their schools.
Records of the same human in different schools stay separate accounts: grouping is the
person's choice (ATEN route) or needs a proof (SMS, FranceConnect). Persons who already
have an account (any state) keep it: a pupil changing school keeps his identifier.
Only persons the AAF brought (``source_hash`` set) are considered.
"""

from __future__ import annotations

from django.utils import timezone

from cas_educonnect.accounts.identifiers import allocate_identifiers
from cas_educonnect.conf import settings
from cas_educonnect.core.db import adapt, insert
from cas_educonnect.models import Account, AccountKind, AccountState, Pupil, Representative, new_opaque_id

CHUNK = 2000


COLUMNS = [
    "identifier", "opaque_id", "kind", "state", "password", "provisional_password", "email", "email_validated",
    "pending_email", "legacy_identifier", "refused", "notification_mode", "created_at", "updated_at",
]  # fmt: skip


def _create(kind: str, rows: list[tuple[int, str, str]], through, person_field: str) -> int:
    identifiers = allocate_identifiers([(first, last) for _pk, first, last in rows])
    now = adapt(timezone.now())
    state = AccountState.NOT_NOTIFIED
    accounts = [(i, new_opaque_id(), kind, state, "", "", "", False, "", "", False, "", now, now) for i in identifiers]
    pks = insert(Account, COLUMNS, accounts, key="identifier")
    links = [(pks[i], pk) for i, (pk, _f, _l) in zip(identifiers, rows, strict=True)]
    insert(through, ["account", person_field], links)
    return len(accounts)


def _missing(queryset):
    """Primary keys and names of the persons without an account, a chunk at a time."""
    # Only rows that came from the AAF (they have a source digest): persons entered by hand
    # are someone else's business.
    # One anti-join for the keys (an int each: ~36 MB at 1 M), then names a chunk at a time;
    # an anti-join per chunk would rescan both tables every time.
    missing = queryset.filter(accounts__isnull=True).exclude(source_hash="")
    pks = list(missing.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        yield sorted(queryset.model.objects.filter(pk__in=chunk).values_list("pk", "first_name", "last_name"))


def provision_accounts() -> int:
    """Create the missing accounts; return how many were created."""
    created = 0
    for rows in _missing(Pupil.objects.filter(left_at__isnull=True)):
        created += _create(AccountKind.PUPIL, rows, Account.pupils.through, "pupil")
    legal = [1, 2] if settings.CAS_EDUCONNECT_IMPORT_PERSONS_IN_CHARGE else [1]
    representatives = Representative.objects.filter(
        left_at__isnull=True,
        pk__in=Representative.objects.filter(
            links__closed_at__isnull=True, links__legal__in=legal, links__pupil__left_at__isnull=True
        ).values("pk"),
    )
    for rows in _missing(representatives):
        created += _create(AccountKind.REPRESENTATIVE, rows, Account.representatives.through, "representative")
    return created

"""Migration progress per school: legacy accounts still used, switched, ATEN accounts activated.

A legacy account counts for the schools of the directory person it covers (the pupil's
school, or a parent's children's schools); pupil and parent legacy accounts covering no
directory person are counted in a separate "unlinked" row. Teachers and other publics are
not part of the migration and are not counted.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db.models import Q
from django.utils import timezone

from cas_educonnect.models import Account, AccountKind, AccountState, Establishment
from cas_educonnect.routes.legacy.base import SWITCHABLE
from cas_educonnect.routes.legacy.models import LegacyProfile

FIELDS = ("legacy_open", "legacy_used", "switched", "aten_active", "aten_total")


@dataclass
class SchoolProgress:
    uai: str
    name: str
    legacy_open: int = 0  # pupil/parent legacy accounts not switched yet
    legacy_used: int = 0  # ... of which logged in on "Autres publics" within the window
    switched: int = 0  # legacy accounts switched to EduConnect
    aten_active: int = 0  # ATEN/EduConnect accounts in use ("Utilisé")
    aten_total: int = 0  # open ATEN/EduConnect accounts

    def as_dict(self) -> dict:
        return asdict(self)


def _schools_of(account_ids: list[int]) -> dict[int, set[int]]:
    """Establishment ids covered by each account (pupil's school; a parent's children's schools)."""
    schools: dict[int, set[int]] = defaultdict(set)
    through = Account.pupils.through
    for account_id, school_id in through.objects.filter(account_id__in=account_ids).values_list(
        "account_id", "pupil__establishment_id"
    ):
        schools[account_id].add(school_id)
    reps = Account.representatives.through
    for account_id, school_id in (
        reps.objects.filter(account_id__in=account_ids, representative__links__closed_at__isnull=True)
        .values_list("account_id", "representative__links__pupil__establishment_id")
        .distinct()
    ):
        if school_id is not None:
            schools[account_id].add(school_id)
    return schools


def migration_progress(used_since_days: int = 365, now: datetime.datetime | None = None) -> list[SchoolProgress]:
    """One row per school having anything to count, then an ``unlinked`` row; a fixed number of queries."""
    since = (now or timezone.now()) - datetime.timedelta(days=used_since_days)
    rows: dict[int | None, SchoolProgress] = {}
    legacy = list(
        LegacyProfile.objects.filter(category__in=SWITCHABLE).values_list(
            "account_id", "account__state", "last_login_at", "switched_at"
        )
    )
    aten = list(
        Account.objects.filter(kind__in=[AccountKind.PUPIL, AccountKind.REPRESENTATIVE])
        .exclude(state=AccountState.CLOSED)
        .values_list("pk", "state")
    )
    schools = _schools_of([a for a, *_ in legacy] + [a for a, _ in aten])
    names = dict(
        (pk, (uai, name))
        for pk, uai, name in Establishment.objects.filter(
            Q(pk__in={s for ids in schools.values() for s in ids})
        ).values_list("pk", "uai", "name")
    )

    def row(school_id: int | None) -> SchoolProgress:
        if school_id not in rows:
            uai, name = names.get(school_id, ("", "unlinked")) if school_id is not None else ("", "unlinked")
            rows[school_id] = SchoolProgress(uai=uai, name=name)
        return rows[school_id]

    for account_id, state, last_login_at, switched_at in legacy:
        for school_id in schools.get(account_id) or {None}:
            progress = row(school_id)
            if switched_at is not None:
                progress.switched += 1
            elif state != AccountState.CLOSED:
                progress.legacy_open += 1
                if last_login_at is not None and last_login_at >= since:
                    progress.legacy_used += 1
    for account_id, state in aten:
        for school_id in schools.get(account_id, ()):
            progress = row(school_id)
            progress.aten_total += 1
            if state == AccountState.ACTIVE:
                progress.aten_active += 1
    linked = sorted((r for k, r in rows.items() if k is not None), key=lambda r: r.uai)
    return linked + ([rows[None]] if None in rows else [])

"""Account listing for operators (``manage.py educonnect_accounts``): one dict per account."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, Q

from cas_educonnect.models import Account, Pupil, RepresentativeLink


def accounts_queryset(school: str | None = None, state: str | None = None):
    """Accounts covering a pupil of ``school`` (UAI) or a representative of one, in ``state``."""
    qs = Account.objects.all()
    if state:
        qs = qs.filter(state=state)
    if school:
        linked = RepresentativeLink.objects.filter(closed_at__isnull=True, pupil__establishment__uai=school)
        qs = qs.filter(
            Q(pupils__establishment__uai=school) | Q(representatives__in=linked.values("representative"))
        ).distinct()
    open_links = RepresentativeLink.objects.filter(closed_at__isnull=True).select_related("pupil__establishment")
    return qs.order_by("identifier").prefetch_related(
        Prefetch("pupils", queryset=Pupil.objects.select_related("establishment")),
        Prefetch("representatives__links", queryset=open_links),
    )


def describe(account: Account) -> dict[str, Any]:
    """``identifier``, ``kind``, ``state``, ``schools`` (UAIs) and ``jointures`` (covered persons)."""
    schools = {pupil.establishment.uai for pupil in account.pupils.all()}
    jointures = [pupil.jointure for pupil in account.pupils.all()]
    for representative in account.representatives.all():
        jointures.append(representative.jointure)
        schools.update(link.pupil.establishment.uai for link in representative.links.all())
    return {
        "identifier": account.identifier,
        "kind": account.kind,
        "state": account.state,
        "schools": sorted(schools),
        "jointures": sorted(jointures),
    }


def list_accounts(school: str | None = None, state: str | None = None) -> Iterator[dict[str, Any]]:
    """Streams the accounts, a few thousand at a time, so 1 M accounts fit in memory."""
    for account in accounts_queryset(school, state).iterator(chunk_size=2000):
        yield describe(account)

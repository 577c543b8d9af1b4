"""Accesses of a school's people to services in the school year (seed 004 §5.3).

Three tables per month: per service, per category of person, per MEFSTAT, read from the
anonymous :class:`AccessCount` (one query each). Counts of the former per-person table
(``ServiceAccess``, no longer written) still add to the per-service table until purged.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from cas_server.models import ServicePattern
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from cas_educonnect.accounts.identifiers import fold
from cas_educonnect.models import AccountKind, Establishment, Mef
from cas_educonnect.staff.models import AccessCount, ServiceAccess
from cas_educonnect.staff.schoolyear import SchoolYear


def _month(value) -> datetime.date:
    value = value.date() if isinstance(value, datetime.datetime) else value
    return value.replace(day=1)


def _pivot(cells: dict[tuple[str, datetime.date], int], months: list[datetime.date]) -> list[list]:
    """``{(label, month): n}`` to rows ``[label, n per month..., total]`` sorted by label."""
    labels = sorted({label for label, _m in cells}, key=fold)
    return [
        [label, *(cells.get((label, m), 0) for m in months), sum(cells.get((label, m), 0) for m in months)]
        for label in labels
    ]


def _counts(school: Establishment, year: SchoolYear, field: str, label_of: Callable[[list], Callable]) -> dict:
    rows = list(
        AccessCount.objects.filter(uai=school.uai, day__gte=year.starts_on, day__lte=year.ends_on)
        .annotate(month=TruncMonth("day"))
        .values(field, "month")
        .annotate(total=Sum("count"))
    )
    label = label_of([r[field] for r in rows])
    cells: dict[tuple[str, datetime.date], int] = {}
    for r in rows:
        key = (label(r[field]), _month(r["month"]))
        cells[key] = cells.get(key, 0) + r["total"]
    return cells


def _service_names(ids: list) -> Callable:
    names = {p.pk: p.name for p in ServicePattern.objects.filter(pk__in=set(ids))}
    return lambda pk: names.get(pk, "—")


def _category_names(_values: list) -> Callable:
    labels = dict(AccountKind.choices)
    return lambda value: str(labels.get(value, "—"))


def _mefstat_names(codes: list) -> Callable:
    labels: dict[str, str] = {}
    for code, label in (
        Mef.objects.filter(mefstat__in=set(codes) - {""}).order_by("code").values_list("mefstat", "label")
    ):
        labels.setdefault(code, label)
    return lambda code: f"{code} {labels.get(code, '')}".strip() if code else "—"


def _legacy_per_service(school: Establishment, year: SchoolYear, identifiers) -> dict:
    rows = (
        ServiceAccess.objects.filter(
            username__in=identifiers, month__gte=year.starts_on.replace(day=1), month__lte=year.ends_on
        )
        .values("service_pattern__name", "month")
        .annotate(total=Sum("count"))
    )
    return {(r["service_pattern__name"] or "—", _month(r["month"])): r["total"] for r in rows}


def access_tables(school: Establishment, year: SchoolYear, identifiers) -> tuple[list[str], dict[str, list[list]]]:
    """Month labels (``MM/YYYY``) and the rows per ``service``, ``category`` and ``mefstat``.

    ``identifiers``: subquery of the school's account identifiers (for the former table).
    """
    per_service = _counts(school, year, "service_id", _service_names)
    for key, total in _legacy_per_service(school, year, identifiers).items():
        per_service[key] = per_service.get(key, 0) + total
    per_category = _counts(school, year, "category", _category_names)
    per_mefstat = _counts(school, year, "mefstat", _mefstat_names)
    months = sorted({m for cells in (per_service, per_category, per_mefstat) for _l, m in cells})
    tables = {"service": per_service, "category": per_category, "mefstat": per_mefstat}
    return [m.strftime("%m/%Y") for m in months], {name: _pivot(cells, months) for name, cells in tables.items()}

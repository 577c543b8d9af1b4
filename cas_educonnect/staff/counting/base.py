"""The access counter's contract, and what an access is counted under.

An access (one service ticket) counts once per school of the person, under his category
(``AccountKind``: pupil, representative, legacy) and the MEFSTAT of his pupil in that
school: a representative of two children of one school counts once there, under the
smaller MEFSTAT, so the per-month, per-category and per-MEFSTAT tables add up the same.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Min, Q

from cas_educonnect.models import Account, AccountKind, Pupil
from cas_educonnect.staff.models import AccessCount

#: ``uai|category|mefstat``: one dimension an access is counted under.
Dimension = str


def dimensions(username: str) -> list[Dimension]:
    """What an access of ``username`` counts under (2 queries; a person without school: one)."""
    account = Account.objects.filter(identifier=username.lower()).only("pk", "kind").first()
    if account is None:
        return ["||"]
    if account.kind == AccountKind.PUPIL:
        pupils = Pupil.objects.filter(accounts=account)
    elif account.kind == AccountKind.REPRESENTATIVE:
        pupils = Pupil.objects.filter(
            links__representative__accounts=account, links__closed_at__isnull=True, links__legal__in=(1, 2)
        )
    else:
        return [f"|{account.kind}|"]
    schools = (
        pupils.filter(left_at__isnull=True)
        .values("establishment__uai")
        .annotate(mefstat=Min("mef__mefstat", filter=Q(mef__mefstat__gt="")))
        .order_by("establishment__uai")
    )
    found = [f"{row['establishment__uai']}|{account.kind}|{row['mefstat'] or ''}" for row in schools]
    return found or [f"|{account.kind}|"]


def split(dimension: Dimension) -> tuple[str, str, str]:
    uai, category, mefstat = dimension.split("|")
    return uai, category, mefstat


def add_counts(rows: list[tuple[datetime.date, str, int, str, str, int]]) -> None:
    """Add ``(day, uai, service_id, category, mefstat, count)`` rows to :class:`AccessCount`.

    One upsert per row on PostgreSQL and SQLite (``count = count + excluded.count``), in the
    caller's transaction.
    """
    if not rows:
        return
    table = connection.ops.quote_name(AccessCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (day, uai, service_id, category, mefstat, count) VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (day, uai, service_id, category, mefstat) "
            f"DO UPDATE SET count = {table}.count + excluded.count",
            rows,
        )


class AccessCounter:
    """Counts service tickets for the statistics (seed 004 §5.3).

    :meth:`count` runs inside ticket issuance: it must be cheap and must never raise.
    """

    def count(self, username: str, service_id: int, day: datetime.date, accesses: int = 1) -> None:
        raise NotImplementedError

    def flush(self) -> int:
        """Move what was counted elsewhere into :class:`AccessCount`; returns the rows added."""
        return 0


class NullCounter(AccessCounter):
    """Counts nothing."""

    def count(self, username: str, service_id: int, day: datetime.date, accesses: int = 1) -> None:
        return None

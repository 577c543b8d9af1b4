"""Bulk INSERT and DELETE without Django's per-value machinery, for hot paths.

``bulk_create`` spends most of an academy import preparing values field by field and
building model instances. Here rows are tuples of values already in database form
(str, int, bool, None; dates and datetimes adapted once by :func:`adapt`), sent as
multi-row ``INSERT ... RETURNING id`` on both SQLite and PostgreSQL. Only for tables this
package owns, with columns it names explicitly. :func:`delete` is the ORM's delete without
its collector, for rows nothing else points at.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import connection
from django.db.models import Model, QuerySet

MAX_PARAMS = 30000
MAX_ROWS = 1000


def adapt(value: datetime.datetime | datetime.date | None):
    """A date or aware datetime in the form the current database backend stores."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return connection.ops.adapt_datefield_value(value)


def insert(model: type[Model], columns: Sequence[str], rows: Sequence[tuple], key: str | None = None) -> dict:
    """Insert ``rows`` into ``model``'s table; with ``key`` (a unique column), return key -> pk.

    Keys are returned with the ids because SQLite does not promise RETURNING rows in
    insertion order.
    """
    if not rows:
        return {}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    pk = quote(model._meta.pk.column)
    size = max(1, min(MAX_ROWS, MAX_PARAMS // len(columns)))
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    ids: dict = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(chunk))
            params = [value for row in chunk for value in row]
            if key:
                cursor.execute(sql + f" RETURNING {quote(model._meta.get_field(key).column)}, {pk}", params)
                ids.update(cursor.fetchall())
            else:
                cursor.execute(sql, params)
    return ids


def delete(queryset: QuerySet) -> int:
    """Delete ``queryset``'s rows in one statement; the number deleted.

    ``QuerySet.delete()`` runs a collector (which reads the rows when anything might cascade
    or listen) inside a transaction of its own: two more round trips for a single DELETE. Only
    for rows that no foreign key points at and no ``pre_delete``/``post_delete`` receiver
    needs (the caller deletes what points at them first).
    """
    return queryset._raw_delete(queryset.db)

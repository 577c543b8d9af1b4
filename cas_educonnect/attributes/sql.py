"""The SQL statement behind a :class:`~.subject.Subject`, written once, run as raw SQL.

Attribute computation sits on the ticket-issuance path; building the same ORM queries on
every request cost more than running them (measured with ``bench/sso.py``), and each round
trip to the database is worker time under load (``bench/load/``). So one statement reads the
open account, its pupils and its representatives with their linked children: three
``UNION ALL`` branches over a CTE holding the account, tagged by their first column, each
filling its own columns and leaving the others NULL (typed, so PostgreSQL can unite them).
The text is generated from the models' ``_meta`` (tables, columns, types, quoting for the
connection), so it follows the schema; rows come back keyed like the ORM ``values()``
lookups they replace.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from django.db import connections, router

from cas_educonnect.core.prepared import prepared_cursor
from cas_educonnect.models import Account, AccountState, Establishment, Pupil, Representative, RepresentativeLink

_CHILD = ["jointure", "struct_id", "last_name", "first_name", "birth_date", "services_refused", "left_at"]
_SCHOOL = ["uai", "name", "degree"]
_ACCOUNT = ["pk", "identifier", "kind", "email", "email_validated", "legacy_identifier", "refused"]
_REPRESENTATIVE = ["jointure", "last_name", "first_name", "services_refused"]
_LINK = ["legal", "closed_at", "pupil"]
_BIRTH_DATE = Pupil._meta.get_field("birth_date")
#: Branch tags, in the order of their columns in a row.
BRANCHES = ("a", "p", "r")


def _m2m(field_name: str):
    """(table, account column, other column) of an Account many-to-many."""
    through = Account._meta.get_field(field_name).remote_field.through
    account_fk = next(f for f in through._meta.fields if f.related_model is Account)
    other_fk = next(f for f in through._meta.fields if f.is_relation and f.related_model is not Account)
    return through._meta.db_table, account_fk.column, other_fk.column


def _columns() -> dict[str, list[tuple[str, type, str, str]]]:
    """Per branch: ``(table alias, model, field name, result key)`` of each column."""
    child = [("p", Pupil, f, f) for f in _CHILD] + [("e", Establishment, f, f"establishment__{f}") for f in _SCHOOL]
    return {
        "a": [("a", Account, "id" if k == "pk" else k, k) for k in _ACCOUNT],
        "p": [("p", Pupil, "id", "pk"), *child],
        "r": [
            ("r", Representative, "id", "pk"),
            *(("r", Representative, f, f) for f in _REPRESENTATIVE),
            *(("l", RepresentativeLink, f, f"links__{f}_id" if f == "pupil" else f"links__{f}") for f in _LINK),
            *((alias, model, field, f"links__pupil__{key}") for alias, model, field, key in child),
        ],
    }


def statement(alias: str) -> tuple[str, dict[str, tuple[int, list[str]]]]:
    """The SQL text, and per branch tag the offset of its columns in a row and their keys.

    On PostgreSQL every row ends with one more column, the digest of the whole row set.
    """
    sql, layout, _condition = _texts(alias)
    return sql, layout


def digest_condition(alias: str) -> str | None:
    """SQL true while the rows of an account (``%s``: identifier, closed state) still have digest ``%s``.

    None where the database cannot compute it (only PostgreSQL does).
    """
    return _texts(alias)[2]


@lru_cache(maxsize=8)
def _texts(alias: str) -> tuple[str, dict[str, tuple[int, list[str]]], str | None]:
    """The statement, its layout, and (PostgreSQL) the digest condition over the same rows."""
    connection = connections[alias]
    qn = connection.ops.quote_name
    branches = _columns()

    def col(table: str, model, field: str) -> str:
        return f"{table}.{qn(model._meta.get_field(field).column)}"

    def null(model, field: str) -> str:
        db_type = model._meta.get_field(field).db_type(connection) if connection.vendor == "postgresql" else None
        return f"CAST(NULL AS {db_type})" if db_type else "NULL"

    def select(tag: str, table_of_tag: dict[str, str] | None = None) -> str:
        parts = [f"'{tag}'"]
        for other, columns in branches.items():
            for table, model, field, _key in columns:
                if other == tag:
                    parts.append(col((table_of_tag or {}).get(table, table), model, field))
                else:
                    parts.append(null(model, field))
        return "SELECT " + ", ".join(parts)

    school = (
        f" LEFT JOIN {qn(Establishment._meta.db_table)} e"
        f" ON {col('e', Establishment, 'id')} = {col('p', Pupil, 'establishment')}"
    )
    ids = f"(SELECT {qn('id')} FROM subject_account)"
    account = (
        "SELECT "
        + ", ".join(col("a", Account, field) for _t, _m, field, _k in branches["a"])
        + f" FROM {qn(Account._meta.db_table)} a"
        + f" WHERE {col('a', Account, 'identifier')} = %s AND {col('a', Account, 'state')} <> %s"
    )
    table, account_col, pupil_col = _m2m("pupils")
    pupils = (
        select("p")
        + f" FROM {qn(table)} t JOIN {qn(Pupil._meta.db_table)} p ON {col('p', Pupil, 'id')} = t.{qn(pupil_col)}"
        + school
        + f" WHERE t.{qn(account_col)} IN {ids}"
    )
    table, account_col, rep_col = _m2m("representatives")
    representatives = (
        select("r")
        + f" FROM {qn(table)} t"
        + f" JOIN {qn(Representative._meta.db_table)} r ON {col('r', Representative, 'id')} = t.{qn(rep_col)}"
        + f" LEFT JOIN {qn(RepresentativeLink._meta.db_table)} l"
        + f" ON {col('l', RepresentativeLink, 'representative')} = {col('r', Representative, 'id')}"
        + f" LEFT JOIN {qn(Pupil._meta.db_table)} p"
        + f" ON {col('p', Pupil, 'id')} = {col('l', RepresentativeLink, 'pupil')}"
        + school
        + f" WHERE t.{qn(account_col)} IN {ids}"
    )
    # The account branch reads the CTE, whose columns keep the account table's column names.
    own = select("a", {"a": "subject_account"}) + " FROM subject_account"
    layout, offset = {}, 1
    for tag, columns in branches.items():
        layout[tag] = (offset, [key for *_rest, key in columns])
        offset += len(columns)
    # Within a branch: pupils by id; representatives by id, then linked pupil (as the ORM did).
    order = [1, layout["p"][0] + 1, layout["r"][0] + 1, layout["r"][0] + 1 + layout["r"][1].index("links__pupil_id")]
    order_by = f" ORDER BY {', '.join(map(str, order))}"
    union = f"{own} UNION ALL {pupils} UNION ALL {representatives}"
    if connection.vendor != "postgresql":
        return f"WITH subject_account AS ({account}) {union}{order_by}", layout, None
    # PostgreSQL: each row set also comes with its digest (last column), read in the same
    # snapshot; the condition computes the digest of the same rows again.
    rows = f"WITH subject_account AS ({account}), subject_rows AS ({union})"
    # Every row as PostgreSQL writes it as text, sorted, hashed: equal digests, equal rows.
    text = "string_agg(CAST(x AS text), '|' ORDER BY CAST(x AS text))"
    digest = f"SELECT sha256(convert_to({text}, 'UTF8')) FROM subject_rows x"
    return f"{rows} SELECT r.*, ({digest}) FROM subject_rows r{order_by}", layout, f"({rows} {digest}) = %s"


class SubjectRows(NamedTuple):
    """An open account's row (None if none), its pupils' rows, its representatives' rows, their digest."""

    account: dict | None
    pupils: list[dict]
    representatives: list[dict]
    #: PostgreSQL's digest of these rows (None elsewhere, or without an account).
    digest: bytes | None


def subject_rows(identifier: str) -> SubjectRows:
    """The rows of the open account ``identifier``, read in one statement."""
    alias = router.db_for_read(Account)
    sql, layout = statement(alias)
    found: dict[str, list[dict]] = {tag: [] for tag in BRANCHES}
    with prepared_cursor(alias) as cursor:
        cursor.execute(sql, [identifier, AccountState.CLOSED])
        rows = cursor.fetchall()
    for row in rows:
        offset, keys = layout[row[0]]
        found[row[0]].append(_dates(dict(zip(keys, row[offset : offset + len(keys)], strict=True))))
    # PostgreSQL's digest: the same last column on every row.
    digest = rows[-1][-1] if rows and connections[alias].vendor == "postgresql" else None
    account = found["a"][0] if found["a"] else None
    return SubjectRows(account, found["p"], found["r"], bytes(digest) if account and digest else None)


def _dates(row: dict) -> dict:
    for key in ("birth_date", "links__pupil__birth_date"):  # SQLite returns dates as text
        if isinstance(row.get(key), str):
            row[key] = _BIRTH_DATE.to_python(row[key])
    return row

"""The two SQL statements behind a :class:`~.subject.Subject`, written once, run as raw SQL.

Attribute computation sits on the ticket-issuance path; building the same ORM queries on
every request cost more than running them (measured with ``bench/sso.py``). The statements
are generated from the models' ``_meta`` (tables, columns, quoting for the connection), so
they follow the schema, and return rows keyed like the ORM ``values()`` lookups they replace.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connections, router

from cas_educonnect.models import Account, AccountState, Establishment, Pupil, Representative, RepresentativeLink

_CHILD = ["jointure", "struct_id", "last_name", "first_name", "birth_date", "services_refused", "left_at"]
_SCHOOL = ["uai", "name", "degree"]


def _col(alias: str, model, field: str, qn) -> str:
    return f"{alias}.{qn(model._meta.get_field(field).column)}"


def _m2m(field_name: str):
    """(table, account column, other column) of an Account many-to-many."""
    through = Account._meta.get_field(field_name).remote_field.through
    account_fk = next(f for f in through._meta.fields if f.related_model is Account)
    other_fk = next(f for f in through._meta.fields if f.is_relation and f.related_model is not Account)
    return through._meta.db_table, account_fk.column, other_fk.column


@lru_cache(maxsize=8)
def statements(alias: str) -> dict[str, tuple[str, list[str]]]:
    """SQL text and result keys of the account, pupils and representatives statements."""
    qn = connections[alias].ops.quote_name
    a, p, e, r, lk = "a", "p", "e", "r", "l"
    keys_account = ["pk", "identifier", "kind", "email", "email_validated", "legacy_identifier", "refused"]
    account = (
        "SELECT "
        + ", ".join(_col(a, Account, "id" if k == "pk" else k, qn) for k in keys_account)
        + f" FROM {qn(Account._meta.db_table)} {a}"
        + f" WHERE {_col(a, Account, 'identifier', qn)} = %s AND {_col(a, Account, 'state', qn)} <> %s"
    )
    child_cols = [_col(p, Pupil, f, qn) for f in _CHILD] + [_col(e, Establishment, f, qn) for f in _SCHOOL]
    child_keys = _CHILD + [f"establishment__{f}" for f in _SCHOOL]
    school_join = (
        f" LEFT JOIN {qn(Establishment._meta.db_table)} {e}"
        f" ON {_col(e, Establishment, 'id', qn)} = {_col(p, Pupil, 'establishment', qn)}"
    )
    table, account_col, pupil_col = _m2m("pupils")
    pupils = (
        f"SELECT {_col(p, Pupil, 'id', qn)}, "
        + ", ".join(child_cols)
        + f" FROM {qn(table)} t JOIN {qn(Pupil._meta.db_table)} {p} ON {_col(p, Pupil, 'id', qn)} = t.{qn(pupil_col)}"
        + school_join
        + f" WHERE t.{qn(account_col)} = %s ORDER BY {_col(p, Pupil, 'id', qn)}"
    )
    table, account_col, rep_col = _m2m("representatives")
    rep_fields = ["jointure", "last_name", "first_name", "services_refused"]
    link_keys = ["links__legal", "links__closed_at", "links__pupil_id"]
    representatives = (
        f"SELECT {_col(r, Representative, 'id', qn)}, "
        + ", ".join(_col(r, Representative, f, qn) for f in rep_fields)
        + ", "
        + ", ".join(_col(lk, RepresentativeLink, f, qn) for f in ("legal", "closed_at", "pupil"))
        + ", "
        + ", ".join(child_cols)
        + f" FROM {qn(table)} t"
        + f" JOIN {qn(Representative._meta.db_table)} {r} ON {_col(r, Representative, 'id', qn)} = t.{qn(rep_col)}"
        + f" LEFT JOIN {qn(RepresentativeLink._meta.db_table)} {lk}"
        + f" ON {_col(lk, RepresentativeLink, 'representative', qn)} = {_col(r, Representative, 'id', qn)}"
        + f" LEFT JOIN {qn(Pupil._meta.db_table)} {p}"
        + f" ON {_col(p, Pupil, 'id', qn)} = {_col(lk, RepresentativeLink, 'pupil', qn)}"
        + school_join
        + f" WHERE t.{qn(account_col)} = %s"
        + f" ORDER BY {_col(r, Representative, 'id', qn)}, {_col(lk, RepresentativeLink, 'pupil', qn)}"
    )
    return {
        "account": (account, keys_account),
        "pupils": (pupils, ["pk", *child_keys]),
        "representatives": (
            representatives,
            ["pk", *rep_fields, *link_keys, *(f"links__pupil__{k}" for k in child_keys)],
        ),
    }


_BIRTH_DATE = Pupil._meta.get_field("birth_date")


def _rows(name: str, params: list) -> list[dict]:
    alias = router.db_for_read(Account)
    sql, keys = statements(alias)[name]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:  # SQLite returns dates as text
        for key in ("birth_date", "links__pupil__birth_date"):
            if isinstance(row.get(key), str):
                row[key] = _BIRTH_DATE.to_python(row[key])
    return rows


def account_row(identifier: str) -> dict | None:
    rows = _rows("account", [identifier, AccountState.CLOSED])
    return rows[0] if rows else None


def pupil_rows(account_pk: int) -> list[dict]:
    return _rows("pupils", [account_pk])


def representative_rows(account_pk: int) -> list[dict]:
    return _rows("representatives", [account_pk])

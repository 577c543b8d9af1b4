"""Pre-creation of accounts in bulk on PostgreSQL: set-based identifier allocation.

Same rules as ``provisioning`` and ``identifiers`` (who gets an account, ``prenom.nom[N]``
with the first free numbers, pupils first then representatives, each by key; never an
identifier already handed out or held by an account), in a fixed number of statements:

1. the persons without an account stream out with ``COPY ... TO``; Python folds their
   names into bases (``base_identifier``) and draws their opaque ids, into a spool;
2. the spool is COPied into ``s_need`` (``ord`` keeps the order above);
3. per base, candidates ``base``, ``base1``... are generated (as many as needed plus the
   numbers the base already handed out, plus some room), the taken ones removed, and the
   n-th free one goes to the n-th person of the base;
4. a spelling two bases both produce (``louis.xiv2`` = ``louis.xiv`` + 2) goes to the
   earlier person; the later one's base marks it blocked and step 3 runs again, as it
   does, with more room, when a base ran out of candidates;
5. identifiers, accounts and their person links are inserted, set-based.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

from cas_educonnect.accounts.identifiers import base_identifier
from cas_educonnect.conf import settings
from cas_educonnect.core.copy import Spool, copy_in, copy_out
from cas_educonnect.models import (
    Account,
    AccountKind,
    AccountState,
    Pupil,
    Representative,
    RepresentativeLink,
    UsedIdentifier,
    new_opaque_id,
)

ROOM = 16
MAX_ROUNDS = 20
STAGES = {
    "s_need": "ord bigint, kind text, person_id bigint, base text, opaque_id text",
    "s_alloc": "ord bigint, base text, identifier text",
    "s_blocked": "base text, identifier text",
}


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _missing_queries() -> list[tuple[str, str]]:
    pupils, reps, links = _t(Pupil), _t(Representative), _t(RepresentativeLink)
    by_pupil, by_rep = _t(Account.pupils.through), _t(Account.representatives.through)
    legal = ", ".join(str(int(v)) for v in ([1, 2] if settings.CAS_EDUCONNECT_IMPORT_PERSONS_IN_CHARGE else [1]))
    # Only rows that came from the AAF (they have a source digest), as in ``provisioning``.
    return [
        (
            AccountKind.PUPIL,
            f"SELECT p.id, p.first_name, p.last_name FROM {pupils} p WHERE p.left_at IS NULL "
            f"AND p.source_hash <> '' AND NOT EXISTS (SELECT 1 FROM {by_pupil} a WHERE a.pupil_id = p.id) "
            "ORDER BY p.id",
        ),
        (
            AccountKind.REPRESENTATIVE,
            f"SELECT r.id, r.first_name, r.last_name FROM {reps} r WHERE r.left_at IS NULL "
            f"AND r.source_hash <> '' AND NOT EXISTS (SELECT 1 FROM {by_rep} a WHERE a.representative_id = r.id) "
            f"AND EXISTS (SELECT 1 FROM {links} l JOIN {pupils} p ON p.id = l.pupil_id "
            f"WHERE l.representative_id = r.id AND l.closed_at IS NULL AND l.legal IN ({legal}) "
            "AND p.left_at IS NULL) ORDER BY r.id",
        ),
    ]


def _allocate(cursor, room: int) -> tuple[int, int]:
    """One round of step 3 into ``s_alloc``; return (persons left without, clashes blocked)."""
    used, accounts = _t(UsedIdentifier), _t(Account)
    cursor.execute("TRUNCATE s_alloc")
    cursor.execute(
        "INSERT INTO s_alloc (ord, base, identifier) "
        "WITH b AS (SELECT base, count(*) AS k FROM s_need GROUP BY base), "
        f"own AS (SELECT u.base, count(*) AS m FROM {used} u JOIN b ON b.base = u.base GROUP BY u.base), "
        "cand AS (SELECT b.base, s.n, CASE WHEN s.n = 0 THEN b.base ELSE b.base || s.n END AS identifier "
        "FROM b LEFT JOIN own ON own.base = b.base "
        "CROSS JOIN LATERAL generate_series(0, b.k + coalesce(own.m, 0) + %(room)s) AS s(n)), "
        "free AS (SELECT c.base, c.identifier, row_number() OVER (PARTITION BY c.base ORDER BY c.n) AS rn "
        f"FROM cand c WHERE NOT EXISTS (SELECT 1 FROM {used} u WHERE u.identifier = c.identifier) "
        f"AND NOT EXISTS (SELECT 1 FROM {accounts} a WHERE a.identifier = c.identifier) "
        "AND NOT EXISTS (SELECT 1 FROM s_blocked x WHERE x.base = c.base AND x.identifier = c.identifier)), "
        "wanted AS (SELECT ord, base, row_number() OVER (PARTITION BY base ORDER BY ord) AS rn FROM s_need) "
        "SELECT w.ord, w.base, f.identifier FROM wanted w LEFT JOIN free f ON f.base = w.base AND f.rn = w.rn",
        {"room": room},
    )
    cursor.execute("SELECT count(*) FROM s_alloc WHERE identifier IS NULL")
    short = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO s_blocked (base, identifier) SELECT DISTINCT a.base, a.identifier FROM s_alloc a "
        "WHERE EXISTS (SELECT 1 FROM s_alloc e WHERE e.identifier = a.identifier AND e.ord < a.ord)"
    )
    return short, cursor.rowcount


@contextmanager
def _indexes_rebuilt(cursor, models, adding: int):
    """Around a load of ``adding`` rows: drop the plain indexes of ``models``, rebuild them after.

    Only when the load more than doubles the account table (a first import): building an
    index once is several times cheaper than maintaining it row by row (bench/import.py's
    COPY floor, 50k pupils: 5.8 s kept, 1.6 s rebuilt), while on a full table rebuilding
    costs more than the few rows a nightly import adds. DROP INDEX locks the tables until
    commit, harmless while they hold next to nothing. Constraint indexes (primary key,
    unique) stay.
    """
    cursor.execute(f"SELECT count(*) FROM {_t(Account)}")
    if adding <= cursor.fetchone()[0]:
        yield
        return
    tables = [m._meta.db_table for m in models]
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
        "AND i.tablename = ANY(%(tables)s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
        "WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
        {"tables": tables},
    )
    plain = cursor.fetchall()
    for name, _definition in plain:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    # CREATE INDEX refuses a table with pending deferred (foreign key) checks: run them now,
    # then defer again (Django's constraints are DEFERRABLE INITIALLY DEFERRED).
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for _name, definition in plain:
        cursor.execute(definition)
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def provision_accounts_bulk() -> int:
    """Create the missing accounts (see the module docstring); return how many were created."""
    spool, order = Spool(), 0
    for kind, query in _missing_queries():
        kind = kind.value
        for person_id, first, last in copy_out(query):
            order += 1
            spool.add((order, kind, person_id, base_identifier(first or "", last or ""), new_opaque_id()))
    if not order:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(STAGES)}, s_final")
        for name, cols in STAGES.items():
            cursor.execute(f"CREATE TEMPORARY TABLE {name} ({cols}) ON COMMIT DROP")
        copy_in("s_need", ["ord", "kind", "person_id", "base", "opaque_id"], spool)
        spool.close()
        cursor.execute("ANALYZE s_need")
        room = ROOM
        for _round in range(MAX_ROUNDS):
            short, clashes = _allocate(cursor, room)
            if not short and not clashes:
                break
            room *= 4 if short else 1
        else:  # pragma: no cover - needs MAX_ROUNDS chained clashes
            raise RuntimeError("identifier allocation did not settle")
        now = timezone.now()
        cursor.execute(
            f"INSERT INTO {_t(UsedIdentifier)} (identifier, base, created_at) "
            "SELECT identifier, base, %(now)s FROM s_alloc ORDER BY ord",
            {"now": now},
        )
        # Keys drawn from the account sequence up front: accounts and their person links
        # are then plain INSERT ... SELECTs, with no RETURNING set to join back.
        cursor.execute(
            "CREATE TEMPORARY TABLE s_final ON COMMIT DROP AS "
            f"SELECT nextval(pg_get_serial_sequence('{Account._meta.db_table}', 'id')) AS account_id, s.* "
            "FROM (SELECT n.ord, n.kind, n.person_id, n.opaque_id, a.identifier FROM s_need n "
            "JOIN s_alloc a ON a.ord = n.ord ORDER BY n.ord) s"
        )
        by_pupil, by_rep = _t(Account.pupils.through), _t(Account.representatives.through)
        with _indexes_rebuilt(cursor, [Account, Account.pupils.through, Account.representatives.through], order):
            cursor.execute(
                f"INSERT INTO {_t(Account)} (id, identifier, opaque_id, kind, state, password, "
                "provisional_password, email, email_validated, pending_email, legacy_identifier, refused, "
                "notification_mode, created_at, updated_at) "
                "SELECT account_id, identifier, opaque_id, kind, %(state)s, '', '', '', false, '', '', false, '', "
                "%(now)s, %(now)s FROM s_final ORDER BY ord",
                {"state": AccountState.NOT_NOTIFIED.value, "now": now},
            )
            for through, column, kind in (
                (by_pupil, "pupil_id", AccountKind.PUPIL),
                (by_rep, "representative_id", AccountKind.REPRESENTATIVE),
            ):
                cursor.execute(
                    f"INSERT INTO {through} (account_id, {column}) SELECT account_id, person_id FROM s_final "
                    "WHERE kind = %(kind)s ORDER BY ord",
                    {"kind": kind.value},
                )
        cursor.execute("DROP TABLE s_final")
        cursor.execute(f"DROP TABLE {', '.join(STAGES)}")
    return order

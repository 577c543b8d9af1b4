"""Set-based statements that merge the staging tables of a run into the directory tables.

Staging tables (temporary, dropped at commit) hold one row per staged operation, ``seq``
giving the order the records were read in: ``op`` ``u`` (new or changed: the whole row)
or ``d`` (gone). Per key the last ``u`` wins, and a ``d`` counts unless a later ``u``
brought the person back. Pupils' links and groups are staged by the ``seq`` of their
pupil's row.
"""

from __future__ import annotations

from django.db import connection

from cas_educonnect.models import Group, Pupil, Representative, RepresentativeLink

STAGE_PEOPLE = "seq bigint, op char(1), jointure text, source_hash text"
REP_COLUMNS = "title text, last_name text, first_name text, email text, mobile text, address text, " \
    "postal_code text, city text, country text"  # fmt: skip
PUPIL_COLUMNS = "struct_id text, ine text, last_name text, first_name text, birth_date date, regime text, " \
    "establishment_id bigint, division_id bigint, mef_id bigint"  # fmt: skip
STAGES = {
    "s_rep": f"{STAGE_PEOPLE}, {REP_COLUMNS}",
    "s_pupil": f"{STAGE_PEOPLE}, {PUPIL_COLUMNS}",
    "s_link": "seq bigint, rep_jointure text, link_code text, financial boolean, legal smallint, contact boolean",
    "s_group": "seq bigint, group_id bigint",
    "s_pupil_u": "pk bigint, seq bigint",
    "s_link_t": "pupil_id bigint, representative_id bigint, link_code text, financial boolean, legal smallint, "
    "contact boolean",
}


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model) -> str:
    return q(model._meta.db_table)


def columns(model, names: list[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


def create_stages() -> list[str]:
    statements = [f"DROP TABLE IF EXISTS {', '.join(STAGES)}"]
    for name, cols in STAGES.items():
        statements.append(f"CREATE TEMPORARY TABLE {name} ({cols}) ON COMMIT DROP")
    return statements


def upsert(model, stage: str, fields: list[str]) -> str:
    """New or changed rows, from the last ``u`` of each key; ``services_refused`` kept on update."""
    cols = ", ".join(q(c) for c in columns(model, fields))
    sets = ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in columns(model, fields))
    return (
        f"INSERT INTO {table(model)} (jointure, source_hash, updated_at, services_refused, left_at, {cols}) "
        f"SELECT DISTINCT ON (jointure) jointure, source_hash, %(now)s, false, NULL, {cols} "
        f"FROM {stage} WHERE op = 'u' ORDER BY jointure, seq DESC "
        f"ON CONFLICT (jointure) DO UPDATE SET {sets}, source_hash = EXCLUDED.source_hash, left_at = NULL, "
        "updated_at = EXCLUDED.updated_at"
    )


def leave(model, stage: str, link_column: str) -> str:
    """Mark as gone the ``d`` rows no later ``u`` undid; close their open links (counted)."""
    return (
        f"WITH gone AS (UPDATE {table(model)} t SET left_at = %(now)s FROM {stage} d "
        f"WHERE d.op = 'd' AND t.jointure = d.jointure AND NOT EXISTS (SELECT 1 FROM {stage} u "
        "WHERE u.op = 'u' AND u.jointure = d.jointure AND u.seq > d.seq) RETURNING t.id) "
        f"UPDATE {table(RepresentativeLink)} l SET closed_at = %(now)s FROM gone "
        f"WHERE l.{q(link_column)} = gone.id AND l.closed_at IS NULL"
    )


def pupil_links() -> list[tuple[str | None, str]]:
    """Resolve the staged pupils and their links to keys, then reconcile their links and groups.

    In order: the pupils written (``s_pupil_u``), their wanted links (``s_link_t``); links
    no longer wanted are closed, wanted ones reopened or updated, missing ones created
    (the three statements named ``closed``, ``updated``, ``created``, whose row counts
    are the summary's); group memberships replaced.
    """
    links, groups = table(RepresentativeLink), q(Group.pupils.through._meta.db_table)
    same = "l.pupil_id = t.pupil_id AND l.representative_id = t.representative_id"
    return [
        (
            None,
            "INSERT INTO s_pupil_u (pk, seq) SELECT p.id, s.seq FROM (SELECT DISTINCT ON (jointure) jointure, seq "
            f"FROM s_pupil WHERE op = 'u' ORDER BY jointure, seq DESC) s "
            f"JOIN {table(Pupil)} p ON p.jointure = s.jointure",
        ),
        (
            None,
            "INSERT INTO s_link_t SELECT u.pk, r.id, l.link_code, l.financial, l.legal, l.contact FROM s_link l "
            f"JOIN s_pupil_u u ON u.seq = l.seq JOIN {table(Representative)} r ON r.jointure = l.rep_jointure",
        ),
        (None, "ANALYZE s_pupil_u, s_link_t"),
        (
            "closed",
            f"UPDATE {links} l SET closed_at = %(now)s FROM s_pupil_u u WHERE l.pupil_id = u.pk "
            f"AND l.closed_at IS NULL AND NOT EXISTS (SELECT 1 FROM s_link_t t WHERE {same})",
        ),
        (
            "updated",
            f"UPDATE {links} l SET link_code = t.link_code, financial = t.financial, legal = t.legal, "
            f"contact = t.contact, closed_at = NULL FROM s_link_t t WHERE {same} AND (l.closed_at IS NOT NULL "
            "OR l.link_code <> t.link_code OR l.financial <> t.financial OR l.legal <> t.legal "
            "OR l.contact <> t.contact)",
        ),
        (
            "created",
            f"INSERT INTO {links} (representative_id, pupil_id, link_code, financial, legal, contact) "
            "SELECT representative_id, pupil_id, link_code, financial, legal, contact FROM s_link_t "
            "ON CONFLICT (representative_id, pupil_id) DO NOTHING",
        ),
        (None, f"DELETE FROM {groups} g USING s_pupil_u u WHERE g.pupil_id = u.pk"),
        (
            None,
            f"INSERT INTO {groups} (group_id, pupil_id) SELECT DISTINCT s.group_id, u.pk FROM s_group s "
            "JOIN s_pupil_u u ON u.seq = s.seq",
        ),
    ]

"""The COPY writer (PostgreSQL): spool the run's rows, COPY them into staging tables, merge.

``write`` and ``leave`` only format rows into spools (no query); ``flush`` (at each change
of category, before a modifyRequest reads rows back, before accounts) loads each spool
with one COPY and applies it with a fixed list of set-based statements
(``merge``). So a run costs the same few dozen statements for 100 persons or a million,
memory stays bounded (spools go to disk), and everything happens in the importer's
transaction: a failure leaves the previous state. Tables the run changed by more than a
tenth are analyzed at its end (``_analyze``).
"""

from __future__ import annotations

from django.db import connection

from cas_educonnect.accounts.bulk import provision_accounts_bulk
from cas_educonnect.core.copy import Spool, copy_in
from cas_educonnect.directory import base
from cas_educonnect.directory.state import unpack, with_pk
from cas_educonnect.directory.store import merge
from cas_educonnect.directory.store.base import Writer
from cas_educonnect.models import Account, Group, Pupil, Representative, RepresentativeLink, UsedIdentifier

PEOPLE = ["seq", "op", "jointure", "source_hash"]
REP = [*PEOPLE, "title", "last_name", "first_name", "email", "mobile", "address", "postal_code", "city", "country"]
PUPIL = [*PEOPLE, "struct_id", "ine", "last_name", "first_name", "birth_date", "regime"]
PUPIL += ["establishment_id", "division_id", "mef_id"]
LINK = ["seq", "rep_jointure", "link_code", "financial", "legal", "contact"]
GROUP = ["seq", "group_id"]
LINK_COUNTS = {"closed": "deleted", "updated": "updated", "created": "created"}
ANALYZE_SHARE = 0.1  # autovacuum_analyze_scale_factor's default


class CopyWriter(Writer):
    def __init__(self, summary, now) -> None:
        super().__init__(summary, now)
        self.seq = 0
        self.created = False
        self.spools = {name: Spool() for name in ("s_rep", "s_pupil", "s_link", "s_group")}

    # -- staging (no query) ---------------------------------------------------------
    def _stage(self, people) -> tuple[Spool, int]:
        return self.spools["s_pupil" if people.model is Pupil else "s_rep"], len(
            PUPIL if people.model is Pupil else REP
        )

    def write(self, people, changed):
        spool, width = self._stage(people)
        pupils = people.model is Pupil
        links, groups = self.spools["s_link"], self.spools["s_group"]
        for record, state, hexd, _pk in changed:
            self.seq += 1
            spool.add((self.seq, "u", record.jointure, *people.stage_values(record, state, hexd)))
            if pupils:
                for link in state["links"]:
                    links.add((self.seq, *link))
                school = people.structures.school_pk(state["school"])
                for code in state["groups"]:
                    groups.add((self.seq, people.structures.groups[(school, code)]))

    def leave(self, people, gone):
        spool, width = self._stage(people)
        tail = (None,) * (width - 3)
        for jointure, _pk in gone:
            self.seq += 1
            spool.add((self.seq, "d", jointure, *tail))

    def before_modify(self, people, jointures):
        self.flush()
        # Rows this run created have no key in the index yet: fetch those the batch modifies.
        fresh = [j for j in jointures if j in people.index and not unpack(people.index[j])[0]]
        for jointure, pk in people.model.objects.filter(jointure__in=fresh).values_list("jointure", "pk"):
            people.index[jointure] = with_pk(people.index[jointure], pk)

    # -- loading and merging -------------------------------------------------------
    def flush(self) -> None:
        spools = self.spools
        if not any(spool.count for spool in spools.values()):
            return
        with connection.cursor() as cursor:
            run = self._runner(cursor)
            if not self.created:
                for statement in merge.create_stages():
                    run(statement)
                self.created = True
            for name, cols in (("s_rep", REP), ("s_pupil", PUPIL), ("s_link", LINK), ("s_group", GROUP)):
                copy_in(name, cols, spools[name])
            run("ANALYZE " + ", ".join(name for name, spool in spools.items() if spool.count))
            links = self.summary.links
            if spools["s_rep"].count:
                run(merge.upsert(Representative, "s_rep", REP[4:]))
                links.deleted += run(merge.leave(Representative, "s_rep", "representative_id"))
            if spools["s_pupil"].count:
                run(merge.upsert(Pupil, "s_pupil", [*PUPIL[4:-3], "establishment", "division", "mef"]))
                for key, statement in merge.pupil_links():
                    count = run(statement)
                    if key:
                        setattr(links, LINK_COUNTS[key], getattr(links, LINK_COUNTS[key]) + count)
                links.deleted += run(merge.leave(Pupil, "s_pupil", "pupil_id"))
            run("TRUNCATE " + ", ".join(merge.STAGES))
        for spool in spools.values():
            spool.reset()

    def _runner(self, cursor):
        params = {"now": self.now}

        def run(statement: str) -> int:
            cursor.execute(statement, params if "%(now)s" in statement else None)
            return cursor.rowcount

        return run

    def provision(self) -> int:
        self.flush()
        for spool in self.spools.values():
            spool.close()
        types, links = self.summary.types, self.summary.links
        pupils, reps = (
            types[name].created + types[name].updated + types[name].deleted
            for name in (base.PUPIL, base.REPRESENTATIVE)
        )
        linked = links.created + links.updated + links.deleted
        self._analyze({Pupil: pupils, Group.pupils.through: pupils, Representative: reps, RepresentativeLink: linked})
        created = provision_accounts_bulk()
        accounts = (Account, Account.pupils.through, Account.representatives.through, UsedIdentifier)
        self._analyze(dict.fromkeys(accounts, created))
        return created

    def _analyze(self, changed: dict) -> None:
        """ANALYZE the tables (model -> rows this run changed) changed by more than a tenth.

        What autovacuum does, later (or never, where it is off): until then the planner
        knows nothing of the rows a first import brought, and this run's account queries,
        then the next runs' merges, pick nested loops over every row (bench/import.py,
        400,000 pupils: the account query of an unchanged re-import 5.2 s, 0.3 s analyzed).
        """
        tables = {model._meta.db_table: rows for model, rows in changed.items() if rows}
        if not tables:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s) "
                "AND relnamespace = current_schema()::regnamespace",
                [list(tables)],
            )
            stale = [name for name, rows in cursor.fetchall() if tables[name] > ANALYZE_SHARE * max(rows, 0)]
            if stale:
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(name) for name in sorted(stale)))

"""Import of one person category in bulk batches (the two categories: ``categories``).

Each batch is compared with an in-memory index (jointure -> pk + digest, see ``state``):
new and changed rows go to the run's writer (``store``: row batches, or COPY into staging
tables on PostgreSQL), unchanged rows cost nothing. Pupils carry their links to
representatives (``ENTElevePersRelEleve``): the links of new or changed pupils are
reconciled; links that disappear, and those of pupils who left, are closed
(``closed_at``), never deleted, so accounts keep their history.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Model

from cas_educonnect.core.db import adapt
from cas_educonnect.directory.base import ImportSummary, Record
from cas_educonnect.directory.state import LEFT, SEEN, digest, pack, short, unpack, with_flags
from cas_educonnect.directory.store.base import Writer

REP_FIELDS = ["title", "last_name", "first_name", "email", "mobile", "address", "postal_code", "city", "country"]
PUPIL_FIELDS = ["struct_id", "ine", "last_name", "first_name", "birth_date", "regime"]
Fail = Callable[[Record, str], None]


class People:
    """Index and batch application for one person category."""

    model: type[Model]
    category: str
    fields: list[str]

    link_field: str

    def __init__(self, summary: ImportSummary, now: datetime.datetime, writer: Writer) -> None:
        self.summary, self.now, self.writer = summary, now, writer
        self.counts = summary.types[self.category]
        self.index: dict[str, int] = {}
        rows = self.model.objects.values_list("jointure", "pk", "source_hash", "left_at").iterator(chunk_size=20000)
        for jointure, pk, hexd, left_at in rows:
            self.index[jointure] = pack(pk, hexd, LEFT if left_at else 0)

    # -- reading one record -------------------------------------------------------
    def state(self, record: Record) -> dict[str, Any]:
        raise NotImplementedError

    def db_state(self, pk: int) -> dict[str, Any]:
        return self.db_states([pk])[pk]

    def full_state(self, record: Record, current: dict[int, dict[str, Any]]) -> dict[str, Any]:
        """A modify is merged over the current row, so both paths compare full states."""
        if record.op != "modify":
            return self.state(record)
        known = self.index.get(record.jointure)
        if known is None:
            raise ValueError(f"modifyRequest for unknown {self.category} {record.jointure!r}")
        pk = unpack(known)[0]
        return {**(current.get(pk) or self.db_state(pk)), **self.state_partial(record)}

    def db_states(self, pks: list[int]) -> dict[int, dict[str, Any]]:
        """Current states of the rows a batch modifies, in a few queries."""
        return {}

    def state_partial(self, record: Record) -> dict[str, Any]:
        raise NotImplementedError

    # -- applying a batch ---------------------------------------------------------
    def apply(self, batch: list[Record], fail: Fail) -> None:
        """Apply add/modify/delete records; ``fail(record, message)`` reports a bad one."""
        changed: list[tuple[Record, dict[str, Any], str, int | None]] = []
        deletes: dict[str, int] = {}
        modifies = [r.jointure for r in batch if r.op == "modify"]
        if modifies:  # the current rows must be in the tables before they are read back
            self.writer.before_modify(self, modifies)
        modified = [self.index.get(j) for j in modifies]
        current = self.db_states([unpack(v)[0] for v in modified if v is not None])
        for record in batch:
            known = self.index.get(record.jointure)
            if record.op == "delete":
                if known is None or unpack(known)[2] & LEFT:
                    self.counts.skipped += 1
                else:
                    deletes[record.jointure] = unpack(known)[0]
                    self.index[record.jointure] = with_flags(known, set_=LEFT)
                continue
            if record.op == "add" and known is not None and unpack(known)[2] & SEEN:
                fail(record, f"duplicate {self.category} id {record.jointure!r} in this import")
                continue
            # An add is digested as read (``parser``): an unchanged one costs no mapping at
            # all. A modify is digested once merged over the stored row (its digest then
            # differs from any add's, so the next full export rewrites the row once).
            hexd = record.digest if record.op == "add" else ""
            if hexd and known is not None:
                pk, old, flags = unpack(known)
                if old == short(hexd) and not flags & LEFT:
                    try:
                        self.check_unchanged(record)
                    except ValueError as exc:
                        fail(record, str(exc))
                        continue
                    self.index[record.jointure] = with_flags(known, set_=SEEN)
                    self.counts.unchanged += 1
                    continue
            try:
                state = self.full_state(record, current)
                self.check(record, state)
            except ValueError as exc:
                fail(record, str(exc))
                continue
            deletes.pop(record.jointure, None)  # back after a delete of this batch: read order wins
            hexd = hexd or digest(state)
            flag = SEEN if record.op == "add" else 0
            if known is None:
                changed.append((record, state, hexd, None))
                self.index[record.jointure] = pack(0, hexd, flag)
                continue
            pk, old, flags = unpack(known)
            self.index[record.jointure] = pack(pk, hexd, flag | (flags & SEEN))
            if old == short(hexd) and not flags & LEFT:
                self.counts.unchanged += 1
            else:
                changed.append((record, state, hexd, pk))
        self.write(changed)
        if deletes:
            self.leave(list(deletes.items()))
            self.counts.deleted += len(deletes)

    def check(self, record: Record, state: dict[str, Any]) -> None:
        """Resolve references; raise ValueError for a dangling one."""

    def unchanged(self, jointure: str, hexd: str, raw: bytes) -> bool:
        """What ``apply`` does for a known, present, unchanged add record, before it is built.

        False leaves the record to ``apply``: new, changed, gone, read twice, or unusual.
        """
        known = self.index.get(jointure)
        if known is None:
            return False
        _pk, old, flags = unpack(known)
        if flags or old != short(hexd) or not self.note_unchanged(raw):
            return False
        self.index[jointure] = with_flags(known, set_=SEEN)
        self.counts.unchanged += 1
        return True

    def note_unchanged(self, raw: bytes) -> bool:
        """``check_unchanged`` from the serialized record; False if it cannot tell."""
        return True

    def check_unchanged(self, record: Record) -> None:
        """What an unchanged add record still does: note its school (the export's coverage)."""

    def row(self, record: Record, state: dict[str, Any], hexd: str, pk: int | None) -> Model:
        values = {name: state[name] for name in self.fields}
        return self.model(
            pk=pk, jointure=record.jointure, source_hash=hexd, left_at=None, updated_at=self.now, **values
        )

    def values(self, record: Record, state: dict[str, Any], hexd: str) -> tuple:
        """Database-ready values of a new row, in the order of :meth:`columns`."""
        return (record.jointure, hexd, self.stamp, False, *[state[name] for name in self.fields])

    def columns(self) -> list[str]:
        return ["jointure", "source_hash", "updated_at", "services_refused", *self.fields]

    def stage_values(self, record: Record, state: dict[str, Any], hexd: str) -> tuple:
        """Values of a new or changed row for a staging table: ``(source_hash, *fields)``."""
        return (hexd, *[state[name] for name in self.fields])

    def write(self, changed: list[tuple[Record, dict[str, Any], str, int | None]]) -> None:
        self.stamp = adapt(self.now)
        self.writer.write(self, changed)
        self.counts.created += sum(1 for *_rest, pk in changed if pk is None)
        self.counts.updated += sum(1 for *_rest, pk in changed if pk is not None)

    def extra_update_fields(self) -> list[str]:
        return []

    # -- leaving --------------------------------------------------------------------
    def leave(self, gone: list[tuple[str, int]]) -> None:
        """Mark rows ``(jointure, pk)`` as gone and close their open links."""
        if gone:
            self.writer.leave(self, gone)

    def finish_complete(self, covered: set[int]) -> None:
        """After a full export: every row not read in it is gone, within the schools it covers.

        ``covered`` are the schools of the export (its EtabEducNat records and the schools
        of its pupils); persons only known in other schools are left alone, so a per-school
        export, or rows entered by hand, do not vanish.
        """
        exempt = set(self.outside(covered))
        gone = []
        for jointure, value in self.index.items():
            pk, _h, flags = unpack(value)
            if not flags & (SEEN | LEFT) and pk not in exempt:
                gone.append((jointure, pk))
                self.index[jointure] = with_flags(value, set_=LEFT)
        self.leave(gone)
        self.counts.deleted += len(gone)

    def outside(self, covered: set[int]):
        raise NotImplementedError

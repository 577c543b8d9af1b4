"""One AAF import run: all or nothing, in one transaction.

``import_paths(paths)`` reads every file (see ``sources``), applies schools, MEFs,
representatives and pupils in that order, marks as gone the persons a full export no
longer lists, then pre-creates the missing accounts. Persons reach the tables through the
run's writer (``store``): row batches, or COPY and set-based merges on PostgreSQL. The first bad record stops the run
and rolls everything back (:class:`ImportFailure`, ``file:line: message``); with
``skip_invalid`` bad records are listed in the summary and the rest is imported. Broken
XML and unsafe files always stop the run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cas_educonnect.directory.base import (
    ESTABLISHMENT,
    MEF,
    PUPIL,
    REPRESENTATIVE,
    SKIPPED,
    ImportFailure,
    ImportSummary,
    InvalidRecord,
    Record,
)
from cas_educonnect.directory.categories import Pupils, Representatives
from cas_educonnect.directory.parser import parse
from cas_educonnect.directory.sources import collect_sources
from cas_educonnect.directory.store.base import get_writer
from cas_educonnect.directory.structures import Structures

logger = logging.getLogger(__name__)
BATCH = 5000
# (file being read, fraction of all bytes read, records read so far)
Progress = Callable[[str, float, int], None]


class Importer:
    def __init__(self, *, skip_invalid: bool = False, progress: Progress | None = None) -> None:
        self.skip_invalid = skip_invalid
        self.progress = progress or (lambda name, fraction, records: None)
        self.summary = ImportSummary()
        self.now = timezone.now()
        self.records = 0
        self.category: str | None = None

    def fail(self, record: Record, message: str) -> None:
        error = InvalidRecord(record.source, record.line, message)
        if not self.skip_invalid:
            raise error
        self.summary.invalid.append(str(error))
        self.summary.types[record.category].skipped += 1
        logger.warning("skipped invalid record %s", error)

    def run(self, paths: list[str | Path]) -> ImportSummary:
        sources = collect_sources(paths)
        if not sources:
            raise ImportFailure(", ".join(map(str, paths)), None, "no AAF XML file found")
        with transaction.atomic():
            self.writer = writer = get_writer(self.summary, self.now)
            structures = Structures(self.summary.types)
            representatives = Representatives(self.summary, self.now, writer)
            pupils = Pupils(self.summary, self.now, writer, structures, representatives)
            self.people = people = {REPRESENTATIVE: representatives, PUPIL: pupils}
            complete: set[str] = set()
            self.total, self.before = sum(s.size for s in sources) or 1, 0
            for source in sources:
                self.summary.files.append(source.name)
                if source.complete and source.category in people:
                    complete.add(source.category)
                self._read(source, structures, people)
            self.progress("database (merge, leavers, accounts)", 1.0, self.records)
            writer.flush()
            covered = pupils.covered()
            for category in (PUPIL, REPRESENTATIVE):  # pupils first: representatives follow their children
                if category in complete:
                    people[category].finish_complete(covered)
                    writer.flush()
            self.summary.accounts_created = writer.provision()
        return self.summary

    def _read(self, source, structures: Structures, people) -> None:
        errors: list[InvalidRecord] | None = [] if self.skip_invalid else None
        batch: list[Record] = []
        self.pending: set[str] = set()  # keys in ``batch``: their later records wait for it

        def step(done: int) -> None:
            self.progress(source.name, min(1.0, (self.before + done) / self.total), self.records)

        if source.category != self.category:  # the previous category is complete: merge it
            self.writer.flush()
            self.category = source.category
        for record in parse(source, errors, step, self._unchanged):
            self.records += 1
            if batch and record.category != batch[0].category:
                self._flush(batch, people)
                batch = []
            if record.category in people:
                batch.append(record)
                self.pending.add(record.jointure)
                if len(batch) >= BATCH:
                    self._flush(batch, people)
                    batch = []
            elif record.category in (ESTABLISHMENT, MEF):
                self._structure(record, structures)
            elif record.category in SKIPPED:
                self.summary.types[record.category].skipped += 1
            else:
                self.fail(record, f"unknown category {record.category!r}")
        self._flush(batch, people)
        for error in errors or ():
            self.summary.invalid.append(str(error))
            logger.warning("skipped invalid record %s", error)
        self.before += source.size
        self.progress(source.name, min(1.0, self.before / self.total), self.records)

    def _unchanged(self, category: str, jointure: str, hexd: str, raw: bytes) -> bool:
        """The parser's hook: take an unchanged person's add record before it is built.

        A key with a record still in the batch is left to the batch, so records apply in
        the order they were read.
        """
        people = self.people.get(category)
        if people is None or jointure in self.pending or not people.unchanged(jointure, hexd, raw):
            return False
        self.records += 1
        return True

    def _structure(self, record: Record, structures: Structures) -> None:
        apply = structures.apply_school if record.category == ESTABLISHMENT else structures.apply_mef
        try:
            apply(record)
        except ValueError as exc:
            self.fail(record, str(exc))

    def _flush(self, batch: list[Record], people) -> None:
        if batch:
            people[batch[0].category].apply(batch, self.fail)
        self.pending.clear()


def import_paths(
    paths: list[str | Path], *, skip_invalid: bool = False, progress: Progress | None = None
) -> ImportSummary:
    """Import AAF files, folders or archives; see the module docstring."""
    return Importer(skip_invalid=skip_invalid, progress=progress).run(paths)

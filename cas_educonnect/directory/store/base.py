"""Contract of an import writer, and the choice of one for the current database.

The persons code (``directory.persons``) decides what changes; a writer applies it. Two
implementations: ``rows.RowWriter`` sends each batch at once as multi-row INSERTs and bulk
UPDATEs (any database; SQLite's path), ``copy.CopyWriter`` spools the run's rows and loads
them with PostgreSQL's COPY into staging tables, then merges them with a fixed number of
set-based statements. Both run inside the importer's transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils.module_loading import import_string

from cas_educonnect.conf import settings

# ``people`` below is a ``directory.persons.People`` (not imported: it imports this module).
People = Any
DEFAULT_WRITERS = {
    "postgresql": "cas_educonnect.directory.store.copy.CopyWriter",
    "*": "cas_educonnect.directory.store.rows.RowWriter",
}


class Writer:
    """Applies the rows ``People`` decided; ``flush()`` makes them visible in the tables."""

    def __init__(self, summary, now) -> None:
        self.summary, self.now = summary, now

    def write(self, people: People, changed: list[tuple[Any, dict[str, Any], str, int | None]]) -> None:
        """Store new (``pk`` None) and changed rows ``(record, state, digest, pk)`` and their links."""
        raise NotImplementedError

    def leave(self, people: People, gone: list[tuple[str, int]]) -> None:
        """Mark rows ``(jointure, pk)`` as gone and close their open links."""
        raise NotImplementedError

    def before_modify(self, people: People, jointures: list[str]) -> None:
        """Called before a batch reads back the current rows of ``jointures`` (modifyRequest)."""

    def flush(self) -> None:
        """Apply what is staged; the tables are then up to date."""

    def provision(self) -> int:
        """Pre-create the missing accounts; return how many."""
        raise NotImplementedError


def get_writer(summary, now) -> Writer:
    """The writer of ``CAS_EDUCONNECT_IMPORT_WRITER``, or the default for this database."""
    path = settings.CAS_EDUCONNECT_IMPORT_WRITER or DEFAULT_WRITERS.get(connection.vendor, DEFAULT_WRITERS["*"])
    return import_string(path)(summary, now)

"""PostgreSQL COPY in and out, through a spool file, for the import's bulk loads.

Rows are formatted once in COPY's text format into a :class:`Spool` (memory first, a
temporary file past a few MiB, so a run's memory stays bounded whatever its size), then
sent with one ``COPY ... FROM STDIN`` each: the number of statements does not grow with
the number of rows.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence

from django.db import connection

SPOOL_MEMORY = 8 << 20
BLOCK = 1 << 20
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def text(value) -> str:
    """One value in COPY's text format (None -> ``\\N``)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPE)
    return str(value)


class Spool:
    """Rows in COPY text format, kept in memory up to ``SPOOL_MEMORY`` then on disk."""

    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY, mode="w+", encoding="utf-8")
        self.count = 0

    def add(self, row: Iterable) -> None:
        # Inlined str case: most values are strings, and this runs once per value of the run.
        self.file.write("\t".join([v.translate(_ESCAPE) if v.__class__ is str else text(v) for v in row]) + "\n")
        self.count += 1

    def blocks(self) -> Iterator[str]:
        self.file.seek(0)
        while block := self.file.read(BLOCK):
            yield block

    def reset(self) -> None:
        self.file.seek(0)
        self.file.truncate()
        self.count = 0

    def close(self) -> None:
        self.file.close()


def copy_in(table: str, columns: Sequence[str], spool: Spool) -> int:
    """Load ``spool`` into ``table`` (already quoted) with one COPY; return the row count."""
    if not spool.count:
        return 0
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for block in spool.blocks():
            copy.write(block)
    return spool.count


def copy_out(query: str) -> Iterator[tuple[str | None, ...]]:
    """The rows of ``query`` (no parameters) as tuples of strings, streamed by ``COPY ... TO``.

    The connection is busy until the iterator is exhausted: run no other query meanwhile.
    """
    with connection.cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
        yield from copy.rows()

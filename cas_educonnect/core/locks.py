"""Jobs that never overlap: one run at a time of a command or task, across every machine.

``single_run(name)`` holds a lock for the duration of a block, or raises
:class:`AlreadyRunning` at once (it never waits: a second cron run is useless, not late):

* PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) on a connection of its own,
  so every app server and cron machine sharing the database is excluded, the job may close
  or reopen Django's connection freely, and a crashed run frees it with its connection;
* SQLite: an exclusive ``flock`` on ``<database>.<name>.lock`` beside the database file (one
  machine, which is all SQLite serves); an in-memory database locks nothing;
* other databases: nothing, with a warning.

A management command takes it with one line, ``@single_run_command()`` above ``handle``: a
second run prints "<name> is already running ..." and exits with ``EX_TEMPFAIL`` (75).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections

try:
    import fcntl
except ImportError:  # not POSIX: no file lock (SQLite runs there are not excluded)
    fcntl = None

logger = logging.getLogger(__name__)

#: Exit code of a command refused because another run holds its lock (sysexits' EX_TEMPFAIL).
ALREADY_RUNNING_EXIT = 75


class AlreadyRunning(Exception):
    """Another process holds the lock ``name``: this run did nothing."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is already running (another process holds its lock); nothing was done")
        self.name = name


def lock_key(name: str) -> int:
    """The signed 64-bit advisory lock key of ``name``."""
    digest = hashlib.blake2b(f"cas_educonnect:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextlib.contextmanager
def _postgresql(name: str, using: str) -> Iterator[None]:
    holder = connections[using].copy()  # a connection of its own: the job's may close or reconnect
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_key(name)])
            if not cursor.fetchone()[0]:
                raise AlreadyRunning(name)
        yield
        # Closing the connection below releases the lock (session locks end with their session).
    finally:
        holder.close()


@contextlib.contextmanager
def _sqlite(name: str, database: str) -> Iterator[None]:
    path = Path(f"{database}.{name}.lock")
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(name) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _in_memory(database: str) -> bool:
    return not database or database == ":memory:" or "mode=memory" in database


@contextlib.contextmanager
def single_run(name: str, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block only if no other process runs ``name``; else raise :class:`AlreadyRunning`."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        lock = _postgresql(name, using)
    elif connection.vendor == "sqlite" and not _in_memory(str(connection.settings_dict["NAME"])) and fcntl:
        lock = _sqlite(name, str(connection.settings_dict["NAME"]))
    else:
        logger.warning("no lock for %s on %s: runs may overlap", name, connection.vendor)
        lock = contextlib.nullcontext()
    with lock:
        yield


def single_run_command(name: str | None = None) -> Callable:
    """Decorate ``BaseCommand.handle``: one run at a time of the command (``name``: its own)."""

    def decorate(handle: Callable) -> Callable:
        @functools.wraps(handle)
        def wrapper(self: Any, *args: Any, **options: Any) -> Any:
            lock = name or type(self).__module__.rpartition(".")[2]
            try:
                with single_run(lock):
                    return handle(self, *args, **options)
            except AlreadyRunning as exc:
                raise CommandError(str(exc), returncode=ALREADY_RUNNING_EXIT)

        return wrapper

    return decorate

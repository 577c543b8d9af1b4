"""The Redis counter: a Lua script HINCRBYs the day's hash, for a second of tickets at once.

Each process adds up its counts for ``CAS_EDUCONNECT_ACCESS_COUNTER_BUFFER_SECONDS``, then
sends them in one pipelined round trip with the next ticket (and at exit): under load that
is one round trip per process and second instead of one per ticket. What a process killed
without exiting (SIGKILL, a crash) had not sent is lost: at most that second of counts.

Keys (``CAS_EDUCONNECT_ACCESS_COUNTER_PREFIX``, default ``educonnect:access``):

- ``<prefix>:dims:<username>``: what the person's accesses count under, newline-separated
  (set on the first access, expires after ``CAS_EDUCONNECT_ACCESS_DIMENSIONS_TTL``);
- ``<prefix>:day:<YYYY-MM-DD>``: a hash ``uai|category|mefstat|service_id`` -> count;
- ``<prefix>:flushing:<day>:<uuid>``: a day's hash being flushed.

:meth:`RedisCounter.flush` renames each day's hash (new tickets start a fresh one), adds it
to PostgreSQL in one transaction recording the batch name (:class:`AccessCountFlush`), then
deletes it: a flush stopped half-way is finished by the next one, never counted twice.
While Redis fails, the counts are written to the database instead, and Redis is not tried
again for ``CAS_EDUCONNECT_ACCESS_COUNTER_RETRY`` seconds: the login never fails.
"""

from __future__ import annotations

import atexit
import collections
import datetime
import functools
import logging
import threading
import time
import uuid

import redis
from django.db import IntegrityError, transaction
from redis.commands.core import Script

from cas_educonnect.conf import settings
from cas_educonnect.staff.counting.base import AccessCounter, add_counts, dimensions
from cas_educonnect.staff.counting.database import DatabaseCounter
from cas_educonnect.staff.models import AccessCountFlush

logger = logging.getLogger(__name__)

#: KEYS: dims, day hash; ARGV: service id, accesses. 0 when the person's dimensions are not known yet.
COUNT_SCRIPT = """
local dims = redis.call('GET', KEYS[1])
if not dims then return 0 end
for dim in string.gmatch(dims, '[^\\n]+') do
  redis.call('HINCRBY', KEYS[2], dim .. '|' .. ARGV[1], ARGV[2])
end
return 1
"""
#: KEYS: dims, day hash; ARGV: service id, accesses, ttl, dims.
SET_AND_COUNT_SCRIPT = """
redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[3])
for dim in string.gmatch(ARGV[4], '[^\\n]+') do
  redis.call('HINCRBY', KEYS[2], dim .. '|' .. ARGV[1], ARGV[2])
end
return 1
"""
#: What a process counted and has not sent: (username, service id, day) -> accesses.
Pending = dict[tuple[str, int, datetime.date], int]


@functools.lru_cache(maxsize=8)
def client(url: str, timeout: float) -> tuple[redis.Redis, Script, Script]:
    """One connection pool per URL, with the two scripts (sent once, then called by digest)."""
    connection = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    return connection, connection.register_script(COUNT_SCRIPT), connection.register_script(SET_AND_COUNT_SCRIPT)


class RedisCounter(AccessCounter):
    def __init__(self) -> None:
        self.fallback = DatabaseCounter()
        self.down_until = 0.0
        self.pending: Pending = collections.Counter()
        self.send_at = 0.0
        self.lock = threading.Lock()  # threaded workers share the process's counter
        atexit.register(self.send)

    @property
    def prefix(self) -> str:
        return settings.CAS_EDUCONNECT_ACCESS_COUNTER_PREFIX

    @property
    def scripts(self) -> tuple[redis.Redis, Script, Script]:
        return client(settings.CAS_EDUCONNECT_ACCESS_COUNTER_REDIS_URL, settings.CAS_EDUCONNECT_ACCESS_COUNTER_TIMEOUT)

    @property
    def redis(self) -> redis.Redis:
        return self.scripts[0]

    def count(self, username: str, service_id: int, day: datetime.date, accesses: int = 1) -> None:
        now = time.monotonic()
        if now < self.down_until:  # Redis is out: each count goes to the database at once
            return self.fallback.count(username, service_id, day, accesses)
        with self.lock:
            self.pending[(username.lower(), service_id, day)] += accesses
            if now < self.send_at:
                return None
            self.send_at = now + settings.CAS_EDUCONNECT_ACCESS_COUNTER_BUFFER_SECONDS
        self.send()
        return None

    def send(self) -> None:
        """Send what this process counted to Redis in one round trip (the database while Redis is out)."""
        with self.lock:
            pending, self.pending = self.pending, collections.Counter()
        if not pending:
            return
        if time.monotonic() < self.down_until:
            return self._to_database(pending)
        _redis, count, set_and_count = self.scripts
        try:
            pipeline = _redis.pipeline(transaction=False)
            for (username, service_id, day), accesses in pending.items():
                count(keys=self._keys(username, day), args=[service_id, accesses], client=pipeline)
            unknown = [key for key, known in zip(pending, pipeline.execute(), strict=True) if not known]
            if unknown:  # people whose dimensions Redis does not know yet (or no longer)
                ttl = settings.CAS_EDUCONNECT_ACCESS_DIMENSIONS_TTL
                for username, service_id, day in unknown:
                    dims = "\n".join(dimensions(username))
                    args = [service_id, pending[(username, service_id, day)], ttl, dims]
                    set_and_count(keys=self._keys(username, day), args=args, client=pipeline)
                pipeline.execute()
        except redis.RedisError as error:
            logger.warning("Redis access counter unavailable, counting in the database: %s", error)
            self.down_until = time.monotonic() + settings.CAS_EDUCONNECT_ACCESS_COUNTER_RETRY
            self._to_database(pending)

    def _keys(self, username: str, day: datetime.date) -> list[str]:
        return [f"{self.prefix}:dims:{username}", f"{self.prefix}:day:{day.isoformat()}"]

    def _to_database(self, pending: Pending) -> None:
        for (username, service_id, day), accesses in pending.items():
            self.fallback.count(username, service_id, day, accesses)

    def flush(self) -> int:
        """Add the counted days to PostgreSQL; returns the rows added (raises if Redis is out).

        Counts still held by processes (at most ``CAS_EDUCONNECT_ACCESS_COUNTER_BUFFER_SECONDS``
        old) come with a later flush.
        """
        self.send()
        for key in self.redis.scan_iter(match=f"{self.prefix}:day:*", count=1000):
            day = key.decode().rsplit(":", 1)[1]
            try:
                self.redis.rename(key, f"{self.prefix}:flushing:{day}:{uuid.uuid4().hex}")
            except redis.ResponseError:  # emptied by a concurrent flush
                continue
        added = 0
        for key in sorted(self.redis.scan_iter(match=f"{self.prefix}:flushing:*", count=1000)):
            added += self._flush_batch(key.decode())
        return added

    def _flush_batch(self, name: str) -> int:
        day = datetime.date.fromisoformat(name.split(":")[-2])
        rows = []
        for field, value in self.redis.hscan_iter(name, count=1000):
            uai, category, mefstat, service_id = field.decode().split("|")
            rows.append((day, uai, int(service_id or 0), category, mefstat, int(value)))
        try:
            with transaction.atomic():
                AccessCountFlush.objects.create(batch=name)
                add_counts(rows)
        except IntegrityError:  # added by an earlier flush that stopped before deleting it
            rows = []
        self.redis.delete(name)
        return len(rows)

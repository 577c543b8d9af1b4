"""The Redis counter: one round trip per ticket (a Lua script HINCRBYs the day's hash).

Keys (``CAS_EDUCONNECT_ACCESS_COUNTER_PREFIX``, default ``educonnect:access``):

- ``<prefix>:dims:<username>``: what the person's accesses count under, newline-separated
  (set on the first access, expires after ``CAS_EDUCONNECT_ACCESS_DIMENSIONS_TTL``);
- ``<prefix>:day:<YYYY-MM-DD>``: a hash ``uai|category|mefstat|service_id`` -> count;
- ``<prefix>:flushing:<day>:<uuid>``: a day's hash being flushed.

:meth:`RedisCounter.flush` renames each day's hash (new tickets start a fresh one), adds it
to PostgreSQL in one transaction recording the batch name (:class:`AccessCountFlush`), then
deletes it: a flush stopped half-way is finished by the next one, never counted twice.
While Redis fails, tickets are counted by the per-ticket database write, and Redis is not
tried again for ``CAS_EDUCONNECT_ACCESS_COUNTER_RETRY`` seconds: the login never fails.
"""

from __future__ import annotations

import datetime
import functools
import logging
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

#: KEYS: dims, day hash; ARGV: service id. 0 when the person's dimensions are not known yet.
COUNT_SCRIPT = """
local dims = redis.call('GET', KEYS[1])
if not dims then return 0 end
for dim in string.gmatch(dims, '[^\\n]+') do
  redis.call('HINCRBY', KEYS[2], dim .. '|' .. ARGV[1], 1)
end
return 1
"""
#: KEYS: dims, day hash; ARGV: service id, ttl, dims.
SET_AND_COUNT_SCRIPT = """
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[2])
for dim in string.gmatch(ARGV[3], '[^\\n]+') do
  redis.call('HINCRBY', KEYS[2], dim .. '|' .. ARGV[1], 1)
end
return 1
"""


@functools.lru_cache(maxsize=8)
def client(url: str, timeout: float) -> tuple[redis.Redis, Script, Script]:
    """One connection pool per URL, with the two scripts (sent once, then called by digest)."""
    connection = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    return connection, connection.register_script(COUNT_SCRIPT), connection.register_script(SET_AND_COUNT_SCRIPT)


class RedisCounter(AccessCounter):
    def __init__(self) -> None:
        self.fallback = DatabaseCounter()
        self.down_until = 0.0

    @property
    def prefix(self) -> str:
        return settings.CAS_EDUCONNECT_ACCESS_COUNTER_PREFIX

    @property
    def scripts(self) -> tuple[redis.Redis, Script, Script]:
        return client(settings.CAS_EDUCONNECT_ACCESS_COUNTER_REDIS_URL, settings.CAS_EDUCONNECT_ACCESS_COUNTER_TIMEOUT)

    @property
    def redis(self) -> redis.Redis:
        return self.scripts[0]

    def count(self, username: str, service_id: int, day: datetime.date) -> None:
        if time.monotonic() < self.down_until:
            return self.fallback.count(username, service_id, day)
        username = username.lower()
        keys = [f"{self.prefix}:dims:{username}", f"{self.prefix}:day:{day.isoformat()}"]
        _redis, count, set_and_count = self.scripts
        try:
            if count(keys=keys, args=[service_id]):
                return None
            dims = "\n".join(dimensions(username))
            set_and_count(keys=keys, args=[service_id, settings.CAS_EDUCONNECT_ACCESS_DIMENSIONS_TTL, dims])
        except redis.RedisError as error:
            logger.warning("Redis access counter unavailable, counting in the database: %s", error)
            self.down_until = time.monotonic() + settings.CAS_EDUCONNECT_ACCESS_COUNTER_RETRY
            self.fallback.count(username, service_id, day)
        return None

    def flush(self) -> int:
        """Add the counted days to PostgreSQL; returns the rows added (raises if Redis is out)."""
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

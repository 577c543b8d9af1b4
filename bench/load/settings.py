"""Settings of the load test for our server: the example project on PostgreSQL + Redis, DEBUG off.

``DATABASE_URL`` names the bench database (``bench/load/run.py`` creates it); ``REDIS_URL``
the cache (default ``redis://127.0.0.1:6379/15``). Sessions are ``cached_db`` (Redis in
front of PostgreSQL), the production shape; the stock settings use the same.
"""

from __future__ import annotations

import os

from cas_educonnect.core.connections import persistent
from example_project.settings import *  # noqa: F403

DEBUG = False
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
CACHES = {
    "default": {
        # As settings_production: a Redis outage is a cache miss, not an error.
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("BENCH_CACHE_PREFIX", "educonnect-load"),
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# Persistent database connections (a new PostgreSQL connection per request was 20 % of a
# worker's time in the profile), health-checked by cas_educonnect.core.connections; the
# stock and ceiling servers inherit the same. (settings_production pools them instead, which
# waits through a PostgreSQL restart; bench/cluster measures that.)
DATABASES["default"] = persistent(DATABASES["default"])  # noqa: F405

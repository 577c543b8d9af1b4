"""Settings of the live tests: the example project on PostgreSQL + Redis, DEBUG off, behind one proxy.

Close to ``settings_production`` (Redis cache, ``cached_db`` sessions, psycopg's pool with the
health check of ``cas_educonnect.core.connections``, X-Forwarded-For read with one trusted
proxy), without TLS: the tests speak plain HTTP to gunicorn on the loopback and play the proxy
by setting the header.
"""

from __future__ import annotations

import os

from cas_educonnect.core.connections import pooled
from example_project.settings import *  # noqa: F403

DEBUG = False
CACHES = {
    "default": {
        # As settings_production: a Redis outage is a cache miss, not an error.
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13"),
        "KEY_PREFIX": os.environ.get("LIVE_CACHE_PREFIX", "educonnect-live"),
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Access counting as in production (on, in Redis), in the live tests' Redis and prefix.
CAS_EDUCONNECT_ACCESS_COUNTER_REDIS_URL = CACHES["default"]["LOCATION"]
CAS_EDUCONNECT_ACCESS_COUNTER_PREFIX = f"{CACHES['default']['KEY_PREFIX']}:access"
DATABASES["default"] = pooled(DATABASES["default"])  # noqa: F405
CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES = 1
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
# Fewer free failures per identifier and IP than gunicorn has workers: a read-then-write
# limiter would let a whole round of parallel requests (one per worker) through.
CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES = {"login_identifier_ip": 1, "birth_date": 0, "activation_code_ip": 1}

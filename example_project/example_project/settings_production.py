"""Deployment settings: the example project behind a TLS reverse proxy (docs/deployment.md).

    DJANGO_SETTINGS_MODULE=example_project.settings_production

Everything secret or site-specific comes from the environment and is required: a missing
variable stops the start instead of running with a demo key. PostgreSQL (``DATABASE_URL``)
and Redis (``REDIS_URL``) are the only things several app servers share.
"""

from __future__ import annotations

import os

import dj_database_url

from cas_educonnect.core.connections import pooled

from .settings import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]
CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS = os.environ["PROVISIONAL_PASSWORD_KEYS"].split(",")
CAS_EDUCONNECT_OPAQUE_ID_KEY = os.environ["OPAQUE_ID_KEY"]
CAS_EDUCONNECT_ACADEMY_CODE = os.environ["ACADEMY_CODE"]

# psycopg's connection pool, one per worker: a connection is checked before each request
# (cas_educonnect.core.connections: the socket, then an empty query if the server said anything),
# and while PostgreSQL restarts a request waits for one (up to 10 s) instead of failing;
# only the requests in flight at the restart fail (docs/deployment.md, "Outages").
DATABASES = {"default": pooled(dj_database_url.parse(os.environ["DATABASE_URL"]))}
# Redis is a cache here, never the only copy: with IGNORE_EXCEPTIONS (django-redis) a Redis
# outage turns every read into a miss and every write into a no-op, so cached_db sessions
# are read from PostgreSQL and nothing answers 500. The counters that must survive it are
# in PostgreSQL (CAS_EDUCONNECT_RATELIMIT_SCOPE_BACKENDS); the others fall back to it.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Access counts of the staff statistics: in the same Redis, flushed by educonnect_flush_accesses (cron).
CAS_EDUCONNECT_ACCESS_COUNTER_REDIS_URL = os.environ["REDIS_URL"]

# TLS ends at the reverse proxy, which sets X-Forwarded-Proto (and overwrites any client value).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
# Throttles count per client IP: X-Forwarded-For read from its right end, one value per
# trusted proxy (TRUSTED_PROXIES: how many append to it in front of gunicorn, one nginx here).
CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "1"))
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False  # joining the browsers' preload list is the operator's (one-way) decision
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies: HTTPS only, out of reach of scripts, not sent on cross-site subrequests. Lax (not
# Strict) keeps the SSO session when a service sends the browser to /cas/login.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Staff mass notifications run in `manage.py db_worker`, not in the request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@" + ALLOWED_HOSTS[0])
CAS_EDUCONNECT_SMS_BACKEND = os.environ.get("SMS_BACKEND", "cas_educonnect.routes.sms.backends.twilio.SmsBackend")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

"""Stock django-cas-server 3.1: its own app, views and ``DjangoAuthUser``, nothing of ours.

Same database, cache, session engine, middleware, password hashers and DEBUG as
:mod:`bench.load.settings`; the schema is the one our migrations made (the host's tables are
the same).
"""

from __future__ import annotations

from bench.load.settings import *  # noqa: F403
from bench.load.settings import MIDDLEWARE

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cas_server",
]
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith(("django_otp", "csp."))]
ROOT_URLCONF = "bench.load.stock_urls"
CAS_AUTH_CLASS = "cas_server.auth.DjangoAuthUser"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = ["cas_educonnect.accounts.hashers.Argon2idPasswordHasher"]  # as ours: same cost per login
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
# The host's own (Bootstrap) templates, not our DSFR ones.
CAS_LOGIN_TEMPLATE = "cas_server/bs4/login.html"
CAS_LOGGED_TEMPLATE = "cas_server/bs4/logged.html"
CAS_LOGOUT_TEMPLATE = "cas_server/bs4/logout.html"
CAS_WARN_TEMPLATE = "cas_server/bs4/warn.html"
CAS_SHOW_POWERED = True

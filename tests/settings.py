"""Settings of the test suite: SQLite in memory, or the database named by DATABASE_URL."""

from __future__ import annotations

import os

import dj_database_url

SECRET_KEY = "tests-only-secret-key-not-for-production-0123456789"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "Europe/Paris"
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
USE_I18N = True

INSTALLED_APPS = [
    "cas_educonnect.staff",  # before django.contrib.admin: its admin templates win
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "phonenumber_field",
    "dsfr",
    "cas_educonnect.host.apps.CasServerConfig",
    "cas_educonnect",
    "cas_educonnect.routes.aten",
    "django_tasks",
    "django_tasks_db",
    "cas_educonnect.routes.legacy",
    "cas_educonnect.routes.franceconnect.apps.FranceConnectConfig",
    "cas_educonnect.routes.sms.apps.SmsConfig",
    "demo_ent",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cas_educonnect.host.badinput.BadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "tests.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite://:memory:"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

PASSWORD_HASHERS = [
    # Argon2 first as in production; MD5 only to keep the suite fast where tests hash a lot.
    "cas_educonnect.accounts.hashers.Argon2idPasswordHasher",  # Argon2id, OWASP parameters
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # Hashes imported from the legacy CAS directory, verified then upgraded to Argon2.
    "cas_educonnect.routes.legacy.hashers.LdapSshaPasswordHasher",
    "cas_educonnect.routes.legacy.hashers.LdapSsha512PasswordHasher",
    "cas_educonnect.routes.legacy.hashers.LdapSsha256PasswordHasher",
    "cas_educonnect.routes.legacy.hashers.LdapShaPasswordHasher",
    "cas_educonnect.routes.legacy.hashers.LdapSmd5PasswordHasher",
    "cas_educonnect.routes.legacy.hashers.LdapMd5PasswordHasher",
    "cas_educonnect.routes.legacy.hashers.LdapCryptPasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]

AUTHENTICATION_BACKENDS = [
    "cas_educonnect.auth.backends.AccountBackend",
    "django.contrib.auth.backends.ModelBackend",
]

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_URL = "/static/"

CAS_AUTH_CLASS = "cas_educonnect.auth.cas.EduconnectAuthUser"
# CAS_NEW_VERSION_*_WARNING deliberately unset: the suite checks our host AppConfig defaults them to False.
# Our DSFR pages for the host's views (these are also the defaults set by our host AppConfig).
CAS_LOGIN_TEMPLATE = "cas_educonnect/host/login.html"
CAS_LOGGED_TEMPLATE = "cas_educonnect/host/logged.html"
CAS_LOGOUT_TEMPLATE = "cas_educonnect/host/logout.html"
CAS_WARN_TEMPLATE = "cas_educonnect/host/warn.html"
CAS_SHOW_POWERED = False

CAS_EDUCONNECT_ACADEMY_CODE = "DEMO"
CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS = ["k3E4bJp9vJkq0s3o6m8yTqzv8Gz3cY7Hn2Rr1WfXo0A="]
CAS_EDUCONNECT_OPAQUE_ID_KEY = "tests-only-opaque-id-key"

# Access counting (on by default in the package) stays off here: the suite's query counts measure
# the login path alone; counting tests switch it on. Its counter writes to the database, never
# to a shared Redis (the Redis counter's tests name their own database).
CAS_EDUCONNECT_COUNT_ACCESSES = False
CAS_EDUCONNECT_ACCESS_COUNTER = "cas_educonnect.staff.counting.database.DatabaseCounter"

# Background tasks (staff mass notification, SMS delivery): run at once in tests; the database backend
# (with its db_worker) is exercised by tests that select it.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

PHONENUMBER_DEFAULT_REGION = "FR"

# Content-Security-Policy (django-csp): the package's policy, DSFR assets served locally.
from cas_educonnect.csp import CONTENT_SECURITY_POLICY  # noqa: E402, F401

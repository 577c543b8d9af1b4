"""Example CAS server: SQLite file next to this folder, or DATABASE_URL."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("SECRET_KEY", "demo-only-secret-key-change-me-in-production-0123456789")
DEBUG = os.environ.get("DEBUG", "1") == "1"
# `make demo HOST=name:port` adds its name here (DEMO_HOST).
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", *filter(None, [os.environ.get("DEMO_HOST", "")])]
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
# Content-Security-Policy (django-csp): the package's policy, DSFR assets served locally.
from cas_educonnect.csp import CONTENT_SECURITY_POLICY  # noqa: E402, F401

ROOT_URLCONF = "example_project.urls"
WSGI_APPLICATION = "example_project.wsgi.application"

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

DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

PASSWORD_HASHERS = [
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
]

AUTHENTICATION_BACKENDS = [
    "cas_educonnect.auth.backends.AccountBackend",
    "django.contrib.auth.backends.ModelBackend",
]

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"

CAS_AUTH_CLASS = "cas_educonnect.auth.cas.EduconnectAuthUser"
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
# Our DSFR pages for the host's views (these are also the defaults set by our host AppConfig).
CAS_LOGIN_TEMPLATE = "cas_educonnect/host/login.html"
CAS_LOGGED_TEMPLATE = "cas_educonnect/host/logged.html"
CAS_LOGOUT_TEMPLATE = "cas_educonnect/host/logout.html"
CAS_WARN_TEMPLATE = "cas_educonnect/host/warn.html"
CAS_SHOW_POWERED = False

CAS_EDUCONNECT_ACADEMY_CODE = "DEMO"
CAS_EDUCONNECT_ACADEMY_NAME = "Démo"
CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS = ["k3E4bJp9vJkq0s3o6m8yTqzv8Gz3cY7Hn2Rr1WfXo0A="]
CAS_EDUCONNECT_OPAQUE_ID_KEY = os.environ.get("CAS_EDUCONNECT_OPAQUE_ID_KEY", "demo-only-opaque-id-key-change-me")
# The demo academy still distributes ATEN activation codes (CAR / CAE) beside provisional passwords.
CAS_EDUCONNECT_ATEN_ACTIVATION_CODES = True

# Background tasks (staff mass notification). The demo runs them at once; set
# EDUCONNECT_TASKS=database and run `manage.py db_worker` to run them in a worker process.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if os.environ.get("EDUCONNECT_TASKS") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

PHONENUMBER_DEFAULT_REGION = "FR"
# The demo prints SMS codes on the server console.
CAS_EDUCONNECT_SMS_BACKEND = "cas_educonnect.routes.sms.backends.console.SmsBackend"

# Issuer shown by authenticator applications for staff TOTP devices.
OTP_TOTP_ISSUER = "cas-educonnect demo"

# FranceConnect: the local FranceConnect-like provider by default (`make franceconnect-provider`,
# README "FranceConnect offline"); point these at FranceConnect's platforms for real use.
CAS_EDUCONNECT_FRANCECONNECT_ISSUER = os.environ.get("FRANCECONNECT_ISSUER", "http://127.0.0.1:4000/api/v2")
CAS_EDUCONNECT_FRANCECONNECT_CLIENT_ID = os.environ.get("FRANCECONNECT_CLIENT_ID", "fs-v2")
CAS_EDUCONNECT_FRANCECONNECT_CLIENT_SECRET = os.environ.get(
    "FRANCECONNECT_CLIENT_SECRET", "fs-v2-secret-0123456789abcdef0123456789abcdef"
)

# The portal ("Scolarité services"): a person logged in without a service sees the online
# services open for his schools (cas_educonnect.staff), on top of the host's logged page.
CAS_LOGGED_TEMPLATE = "cas_educonnect/staff/portal_logged.html"

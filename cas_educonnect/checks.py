"""System checks of the configuration (ids ``cas_educonnect.E0xx`` / ``W0xx``)."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings as django_settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from cas_educonnect.conf import settings
from cas_educonnect.staff import schoolyear


@checks.register(checks.Tags.security)
def check_provisional_password_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Provisional passwords must be encrypted with a key of their own, not SECRET_KEY."""

    keys = settings.CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS
    if not keys:
        return [
            checks.Warning(
                "CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS is empty: provisional passwords are encrypted "
                "with a key derived from SECRET_KEY.",
                hint="Generate one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'",
                id="cas_educonnect.W001",
            )
        ]
    errors = []
    for index, key in enumerate(keys):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            errors.append(
                checks.Error(
                    f"CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS[{index}] is not a valid Fernet key.",
                    id="cas_educonnect.E001",
                )
            )
    return errors


@checks.register(checks.Tags.security)
def check_host_version_warnings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The host's PyPI version check makes an HTTP call without timeout from page rendering."""

    return [
        checks.Warning(
            f"{name} is True: django-cas-server calls PyPI without a timeout (every HTML page for the "
            "HTML warning, cas_clean_sessions for the e-mail one).",
            hint=f"Set {name} = False, or list cas_educonnect.host.apps.CasServerConfig in INSTALLED_APPS "
            "before anything imports cas_server.models so its default applies.",
            id="cas_educonnect.W010",
        )
        for name in ("CAS_NEW_VERSION_HTML_WARNING", "CAS_NEW_VERSION_EMAIL_WARNING")
        if getattr(django_settings, name, False)
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_client_ip_header(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A forwarding header without a trusted proxy count is ignored: every client is the proxy."""
    if not settings.CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER or settings.CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES:
        return []
    return [
        checks.Warning(
            "CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER is set but CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES is 0: the "
            "header is ignored and the per-IP limits count REMOTE_ADDR (behind a proxy, the proxy's "
            "address: every client shares one counter).",
            hint="Set CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES to the number of reverse proxies that append to "
            "the header (1 for one nginx), or leave the header empty if clients reach the app directly.",
            id="cas_educonnect.W030",
        )
    ]


@checks.register()
def check_aten_route_installed(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Since 0.2 the ATEN route is an app of its own: a 0.1 INSTALLED_APPS lacks it."""
    if apps.is_installed("cas_educonnect.routes.aten"):
        return []
    return [
        checks.Warning(
            "cas_educonnect.routes.aten is not in INSTALLED_APPS: no first-login activation, lost "
            "identifier or lost password page, and provisional passwords are refused.",
            hint='Add "cas_educonnect.routes.aten" after "cas_educonnect" unless you serve no ATEN account.',
            id="cas_educonnect.W020",
        )
    ]


BAD_INPUT_MIDDLEWARE = "cas_educonnect.host.badinput.BadInputMiddleware"


@checks.register(checks.Tags.security)
def check_bad_input_middleware(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Without the guard, a NUL byte or a control character in a parameter can answer 500 or malformed XML."""
    if BAD_INPUT_MIDDLEWARE in django_settings.MIDDLEWARE:
        return []
    return [
        checks.Warning(
            f"{BAD_INPUT_MIDDLEWARE} is not in MIDDLEWARE: a NUL byte, a control character or a huge "
            "parameter reaches the CAS views (HTTP 500 on PostgreSQL, malformed XML answers).",
            hint="List it right after django.middleware.security.SecurityMiddleware.",
            id="cas_educonnect.W031",
        )
    ]


@checks.register()
def check_school_year(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The school year settings must parse: every staff page names the year."""
    try:
        schoolyear.current()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), hint="e.g. '2026-2027' and '08-01'", id="cas_educonnect.E060")]
    return []


@checks.register(checks.Tags.templates)
def check_staff_before_admin(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The staff app overrides admin/base_site.html and admin/search_form.html (DSFR icons, the
    admin's style sheet, a translated search icon): only if listed before django.contrib.admin."""
    names = [config.name for config in apps.get_app_configs()]
    if "cas_educonnect.staff" not in names or "django.contrib.admin" not in names:
        return []
    if names.index("cas_educonnect.staff") < names.index("django.contrib.admin"):
        return []
    return [
        checks.Warning(
            "cas_educonnect.staff is listed after django.contrib.admin: the staff admin pages lose "
            "their icons (the browser asks /favicon.ico), their style sheet and the French search icon.",
            hint='Move "cas_educonnect.staff" before "django.contrib.admin" in INSTALLED_APPS.',
            id="cas_educonnect.W050",
        )
    ]

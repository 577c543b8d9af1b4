"""Every ``CAS_EDUCONNECT_*`` setting with its default, read lazily.

Read settings through ``from cas_educonnect.conf import settings`` at the moment they are
used, never copy them into module globals: ``override_settings`` then works everywhere.
Each feature keeps its settings in its own block below; docs/configuration.md is checked
against ``DEFAULTS`` by the test suite, so no setting goes undocumented.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings as django_settings

DEFAULTS: dict[str, Any] = {
    # --- core / directory -------------------------------------------------------------
    # Academy code used in FrEduCtRefId ({AAF}<code>|AC2D|...) and ENTPersonJointure.
    "CAS_EDUCONNECT_ACADEMY_CODE": "DEMO",
    # Fernet key(s) (urlsafe base64, 32 bytes) encrypting provisional passwords. The first
    # key encrypts, all keys decrypt (rotation). Empty: derived from SECRET_KEY (E001 warns).
    "CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS": [],
    # Length of generated provisional passwords (digits and lowercase letters).
    "CAS_EDUCONNECT_PROVISIONAL_PASSWORD_LENGTH": 8,
    # Maximum length of a normalized identifier, suffix included.
    "CAS_EDUCONNECT_IDENTIFIER_MAX_LENGTH": 64,
    # --- host hardening (django-cas-server) -------------------------------------------
    # Only redirect (logout ?service=/?url=, gateway) to URLs matching a ServicePattern.
    "CAS_EDUCONNECT_STRICT_REDIRECTS": True,
    # Dotted paths of login steps run after the credentials are checked and before the
    # SSO session is opened; each is ``step(request, account, view) -> HttpResponse | None``.
    "CAS_EDUCONNECT_LOGIN_STEPS": [
        "cas_educonnect.legacy.steps.sunset",
    ],
    # --- attributes -------------------------------------------------------------------
    # Ordered dotted paths of AttributeProvider classes merged by attributes.release().
    "CAS_EDUCONNECT_ATTRIBUTE_PROVIDERS": [
        "cas_educonnect.attributes.identity.IdentityProvider",
    ],
    # --- ATEN route -------------------------------------------------------------------
    # --- portal / legacy --------------------------------------------------------------
    # Show the "Indiquez votre profil" page on /cas/login before the credentials form.
    "CAS_EDUCONNECT_PORTAL_ENABLED": True,
    # Query parameters a service may use to preselect a profile (?idpId=autres-publics).
    "CAS_EDUCONNECT_PORTAL_PARAMETERS": ["idpId", "selection"],
    # Cookie remembering the chosen profile, and its lifetime in seconds.
    "CAS_EDUCONNECT_PORTAL_COOKIE_NAME": "educonnect_profil",
    "CAS_EDUCONNECT_PORTAL_COOKIE_AGE": 365 * 24 * 3600,
    # Extra entries of the profile page: dicts {"id", "label", "description", "url"}, where
    # "url" is a URL name or an absolute URL; the CAS parameters (service...) are appended.
    "CAS_EDUCONNECT_PORTAL_EXTRA_ENTRIES": [],
    # Template snippets included on the "Élèves ou parents" page, in order (FranceConnect
    # button, "Je n'ai pas d'identifiant"...). They get service/renew/warn/method/login_params.
    "CAS_EDUCONNECT_PORTAL_EDUCONNECT_SNIPPETS": [],
    # Lost identifier / lost password links of the "Élèves ou parents" page: URL names or
    # URLs; a name that does not resolve hides the link.
    "CAS_EDUCONNECT_PORTAL_LOST_IDENTIFIER_URL": "cas_server:educonnect_lost_identifier",
    "CAS_EDUCONNECT_PORTAL_LOST_PASSWORD_URL": "cas_server:educonnect_lost_password",
    # Sunset of the legacy route per population: {"pupil": "2026-09-01", "representative":
    # "2026-11-01"} (first closed day, local time). Rows of the LegacySunset admin win.
    "CAS_EDUCONNECT_LEGACY_SUNSET": {},
    # ATEN -> EduConnect switch: wrong birth-date attempts allowed, and how long (seconds)
    # the legacy credentials stay valid for the switch pages.
    "CAS_EDUCONNECT_LEGACY_SWITCH_MAX_ATTEMPTS": 5,
    "CAS_EDUCONNECT_LEGACY_SWITCH_TIMEOUT": 900,
    # --- SMS --------------------------------------------------------------------------
    # --- FranceConnect ----------------------------------------------------------------
    # --- staff admin ------------------------------------------------------------------
}


class _Settings:
    """Attribute access to our settings: the project's value, else the default."""

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(django_settings, name, DEFAULTS[name])


settings = _Settings()

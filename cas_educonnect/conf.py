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
    # AAF import: also pre-create accounts for "persons in charge" (legal = 2), not only
    # legal representatives (legal = 1).
    "CAS_EDUCONNECT_IMPORT_PERSONS_IN_CHARGE": False,
    # Purge (manage.py educonnect_purge): days after notification before a never activated
    # account goes back to "not notified", and days without use before an active account
    # is deleted.
    "CAS_EDUCONNECT_PURGE_NOT_ACTIVATED_DAYS": 92,
    "CAS_EDUCONNECT_PURGE_UNUSED_DAYS": 365,
    # --- host hardening (django-cas-server) -------------------------------------------
    # Service name shown in the DSFR header, page titles and footer.
    "CAS_EDUCONNECT_SITE_NAME": "EduConnect",
    # Only redirect (logout ?service=/?url=, gateway) to URLs matching a ServicePattern.
    "CAS_EDUCONNECT_STRICT_REDIRECTS": True,
    # Dotted paths of login steps run after the credentials are checked and before the
    # SSO session is opened; each is ``step(request, account, view) -> HttpResponse | None``.
    "CAS_EDUCONNECT_LOGIN_STEPS": [],
    # --- attributes -------------------------------------------------------------------
    # Ordered dotted paths of AttributeProvider classes merged by attributes.release().
    "CAS_EDUCONNECT_ATTRIBUTE_PROVIDERS": [
        "cas_educonnect.attributes.identity.IdentityProvider",
    ],
    # --- ATEN route -------------------------------------------------------------------
    # --- portal / legacy --------------------------------------------------------------
    # --- SMS --------------------------------------------------------------------------
    # --- FranceConnect ----------------------------------------------------------------
    # --- staff admin ------------------------------------------------------------------
    # A staff user with no OTP device may register his first TOTP device after his
    # password (QR code page); a second device always needs a verified session.
    "CAS_EDUCONNECT_ADMIN_SELF_ENROLMENT": True,
    # Address printed on letters for "online services" letter types (the portal); empty:
    # the CAS login page of this server (which lists the open services once logged in).
    "CAS_EDUCONNECT_PORTAL_URL": "",
}


class _Settings:
    """Attribute access to our settings: the project's value, else the default."""

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(django_settings, name, DEFAULTS[name])


settings = _Settings()

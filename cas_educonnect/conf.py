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
        "cas_educonnect.attributes.policy.refusal_step",
        "cas_educonnect.attributes.choice.profile_choice_step",
    ],
    # --- attributes -------------------------------------------------------------------
    # Ordered dotted paths of AttributeProvider classes merged by attributes.release().
    "CAS_EDUCONNECT_ATTRIBUTE_PROVIDERS": [
        "cas_educonnect.attributes.identity.IdentityProvider",
        "cas_educonnect.attributes.vector.VectorProvider",
        "cas_educonnect.attributes.educonnect.EduConnectProvider",
        "cas_educonnect.attributes.ent.EntProvider",
    ],
    # Send the pupil's own nom/prénom in his FrEduVecteur (empty fields when False, as since 2018).
    "CAS_EDUCONNECT_VECTOR_PUPIL_NAMES": False,
    # Links with legal = 2 ("personne en charge") count like legal representatives (legal = 1):
    # in the vector and, for the directory import, when pre-creating representative accounts.
    "CAS_EDUCONNECT_PERSONS_IN_CHARGE": False,
    # Secret key of the FrEduCtId HMAC. Empty: derived from SECRET_KEY (W041 warns).
    "CAS_EDUCONNECT_OPAQUE_ID_KEY": "",
    # Middle field of FrEduCtRefId values {AAF}<academy code>|<source>|<jointure>.
    "CAS_EDUCONNECT_REFID_SOURCE": "AC2D",
    # <ACADEMY> of ENTPersonJointure AC-<ACADEMY>$<jointure> (e.g. ORLEANS-TOURS); empty: the academy code.
    "CAS_EDUCONNECT_ENT_ACADEMY": "",
    # Attribute name carrying Account.legacy_identifier (migrated legacy accounts); empty: not released.
    "CAS_EDUCONNECT_LEGACY_IDENTIFIER_ATTRIBUTE": "ENTPersonLogin",
    # Multi-person (joint) accounts: release every person and let the service choose, instead of
    # asking "Choisissez votre profil" at login.
    "CAS_EDUCONNECT_RELEASE_ALL_PERSONS": False,
    # --- ATEN route -------------------------------------------------------------------
    # --- portal / legacy --------------------------------------------------------------
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

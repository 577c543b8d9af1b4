"""System checks of the legacy route's configuration."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.core.checks import Error, Warning, register

from cas_educonnect.conf import settings
from cas_educonnect.routes.legacy.base import SWITCHABLE
from cas_educonnect.routes.legacy.sunset import parse_day

LEGACY_HASHERS = (
    "cas_educonnect.routes.legacy.hashers.LdapSshaPasswordHasher",
    "cas_educonnect.routes.legacy.hashers.LdapShaPasswordHasher",
    "cas_educonnect.routes.legacy.hashers.LdapMd5PasswordHasher",
    "cas_educonnect.routes.legacy.hashers.LdapCryptPasswordHasher",
)


@register()
def check_legacy_settings(app_configs=None, **kwargs):
    errors = []
    sunset = settings.CAS_EDUCONNECT_LEGACY_SUNSET
    if not isinstance(sunset, dict):
        errors.append(Error("CAS_EDUCONNECT_LEGACY_SUNSET must be a dict", id="educonnect_legacy.E001"))
        sunset = {}
    for category, value in sunset.items():
        if category not in SWITCHABLE:
            errors.append(
                Error(
                    f"CAS_EDUCONNECT_LEGACY_SUNSET: {category!r} cannot be closed (only pupil and representative)",
                    id="educonnect_legacy.E002",
                )
            )
        elif value:
            try:
                parse_day(value)
            except ValueError as exc:
                errors.append(Error(f"CAS_EDUCONNECT_LEGACY_SUNSET[{category!r}]: {exc}", id="educonnect_legacy.E003"))
    hashers = getattr(django_settings, "PASSWORD_HASHERS", [])
    missing = [h for h in LEGACY_HASHERS if h not in hashers]
    if missing:
        errors.append(
            Warning(
                "legacy password hashers missing from PASSWORD_HASHERS: {}".format(", ".join(missing)),
                hint="Imported {SSHA}/{SHA}/{MD5}/{CRYPT} hashes cannot be verified without them.",
                id="educonnect_legacy.W001",
            )
        )
    elif hashers and hashers[0] in LEGACY_HASHERS:
        errors.append(
            Error(
                "a legacy hasher must not be the preferred (first) PASSWORD_HASHERS entry", id="educonnect_legacy.E004"
            )
        )
    return errors

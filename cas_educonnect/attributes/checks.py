"""System checks of the attribute settings (``cas_educonnect.W041``, ``E042``, ``E043``)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.utils.module_loading import import_string

from cas_educonnect.attributes.base import ATTRIBUTE_NAME
from cas_educonnect.conf import settings


@checks.register(checks.Tags.security)
def check_opaque_id_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """FrEduCtId must not change when SECRET_KEY is rotated."""
    if settings.CAS_EDUCONNECT_OPAQUE_ID_KEY:
        return []
    return [
        checks.Warning(
            "CAS_EDUCONNECT_OPAQUE_ID_KEY is empty: FrEduCtId is derived from SECRET_KEY and changes with it.",
            hint="Set it to a long random string, once, and never change it.",
            id="cas_educonnect.W041",
        )
    ]


@checks.register()
def check_attribute_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Providers must import; the legacy attribute name must be an XML name."""

    errors: list[checks.CheckMessage] = []
    for path in settings.CAS_EDUCONNECT_ATTRIBUTE_PROVIDERS:
        try:
            import_string(path)
        except ImportError as exc:
            errors.append(
                checks.Error(f"Attribute provider {path!r} cannot be imported: {exc}", id="cas_educonnect.E042")
            )
    name = settings.CAS_EDUCONNECT_LEGACY_IDENTIFIER_ATTRIBUTE
    if name and not ATTRIBUTE_NAME.match(name):
        errors.append(
            checks.Error(
                f"CAS_EDUCONNECT_LEGACY_IDENTIFIER_ATTRIBUTE {name!r} is not a valid XML element name.",
                id="cas_educonnect.E043",
            )
        )
    return errors

"""System checks of the FranceConnect settings (ids ``educonnect_franceconnect.E0xx``)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks

from cas_educonnect.conf import settings

SMS_APP = "cas_educonnect.routes.sms"


@checks.register()
def check_franceconnect_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A half-configured FranceConnect route fails at the first login: say so at startup."""
    errors = []
    if not apps.is_installed(SMS_APP):
        errors.append(
            checks.Error(
                "The FranceConnect route needs the SMS route: its first link proves the mobile number "
                "known to the school by an SMS code.",
                hint='Add "cas_educonnect.routes.sms.apps.SmsConfig" to INSTALLED_APPS.',
                id="educonnect_franceconnect.E004",
            )
        )
    if not settings.CAS_EDUCONNECT_FRANCECONNECT_ISSUER:
        return errors
    profile = settings.CAS_EDUCONNECT_FRANCECONNECT_PROFILE
    if profile not in ("v1", "v2"):
        errors.append(
            checks.Error(
                f"CAS_EDUCONNECT_FRANCECONNECT_PROFILE is {profile!r}: use 'v1' or 'v2'.",
                id="educonnect_franceconnect.E001",
            )
        )
    if not settings.CAS_EDUCONNECT_FRANCECONNECT_CLIENT_ID or not settings.CAS_EDUCONNECT_FRANCECONNECT_CLIENT_SECRET:
        errors.append(
            checks.Error(
                "CAS_EDUCONNECT_FRANCECONNECT_ISSUER is set but the client id or secret is empty.",
                id="educonnect_franceconnect.E002",
            )
        )
    if profile == "v1":
        missing = {"authorization", "token", "userinfo"} - set(settings.CAS_EDUCONNECT_FRANCECONNECT_ENDPOINTS)
        if missing:
            errors.append(
                checks.Error(
                    f"CAS_EDUCONNECT_FRANCECONNECT_ENDPOINTS lacks {sorted(missing)} (required by the v1 profile).",
                    id="educonnect_franceconnect.E003",
                )
            )
    return errors

"""System checks of the SMS settings (ids ``educonnect_sms.E0xx`` / ``W0xx``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings as django_settings
from django.core import checks
from django.utils.module_loading import import_string

from cas_educonnect.conf import settings

# Gateways that answer in-process, in constant time (demo and tests): no timing oracle.
IN_PROCESS_BACKENDS = {
    "cas_educonnect.routes.sms.backends.console.SmsBackend",
    "cas_educonnect.routes.sms.backends.locmem.SmsBackend",
    "cas_educonnect.routes.sms.backends.dummy.SmsBackend",
}


def _runs_inline(alias: str) -> bool:
    """Whether the django-tasks backend ``alias`` runs a task inside the call that enqueues it."""

    backend = getattr(django_settings, "TASKS", {}).get(alias, {}).get("BACKEND", "")
    return backend.endswith(".ImmediateBackend")


@checks.register()
def check_sms_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The backend must import; Twilio needs its credentials; limits must be sane."""
    errors: list[checks.CheckMessage] = []
    path = settings.CAS_EDUCONNECT_SMS_BACKEND
    try:
        import_string(path)
    except ImportError:
        return [checks.Error(f"CAS_EDUCONNECT_SMS_BACKEND {path!r} cannot be imported.", id="educonnect_sms.E001")]
    if path.endswith(".twilio.SmsBackend"):
        if not (settings.CAS_EDUCONNECT_SMS_TWILIO_ACCOUNT_SID and settings.CAS_EDUCONNECT_SMS_TWILIO_AUTH_TOKEN):
            errors.append(
                checks.Error(
                    "The Twilio SMS backend needs CAS_EDUCONNECT_SMS_TWILIO_ACCOUNT_SID and _AUTH_TOKEN.",
                    id="educonnect_sms.E002",
                )
            )
        if not (settings.CAS_EDUCONNECT_SMS_TWILIO_FROM or settings.CAS_EDUCONNECT_SMS_TWILIO_MESSAGING_SERVICE_SID):
            errors.append(
                checks.Error(
                    "The Twilio SMS backend needs CAS_EDUCONNECT_SMS_TWILIO_FROM or _MESSAGING_SERVICE_SID.",
                    id="educonnect_sms.E003",
                )
            )
    if settings.CAS_EDUCONNECT_SMS_CODE_LENGTH < 6 or settings.CAS_EDUCONNECT_SMS_CODE_MAX_ATTEMPTS < 1:
        errors.append(
            checks.Error(
                "SMS codes need at least 6 digits and at least 1 allowed try.",
                hint="Check CAS_EDUCONNECT_SMS_CODE_LENGTH and CAS_EDUCONNECT_SMS_CODE_MAX_ATTEMPTS.",
                id="educonnect_sms.E004",
            )
        )
    if path not in IN_PROCESS_BACKENDS and _runs_inline(settings.CAS_EDUCONNECT_TASK_BACKEND):
        errors.append(
            checks.Warning(
                "SMS codes are sent by a real gateway inside the request (immediate task backend): "
                "the response time tells whether a number is known.",
                hint="Point CAS_EDUCONNECT_TASK_BACKEND at a queued backend (django_tasks_db.DatabaseBackend) "
                "and run `manage.py db_worker` (docs/deployment.md).",
                id="educonnect_sms.W002",
            )
        )
    if settings.CAS_EDUCONNECT_SMS_NUMBER_LIMIT <= 0:
        errors.append(
            checks.Warning(
                "CAS_EDUCONNECT_SMS_NUMBER_LIMIT is off: one number can be sent unlimited codes.",
                id="educonnect_sms.W001",
            )
        )
    return errors

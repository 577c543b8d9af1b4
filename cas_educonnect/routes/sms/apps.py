"""The SMS app: gateway, one-time codes, and the "Je n'ai pas d'identifiant" registration."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "cas_educonnect.routes.sms"
    label = "educonnect_sms"
    verbose_name = _("EduConnect SMS")
    default_auto_field = "django.db.models.BigAutoField"
    #: « Je n'ai pas d'identifiant » on the "Élèves ou parents" page (CAS_EDUCONNECT_PORTAL_EDUCONNECT_SNIPPETS).
    portal_snippets = ("cas_educonnect/sms/portal_button.html",)

    def ready(self) -> None:
        from cas_educonnect.routes.sms import checks  # noqa: F401  (registers the system checks)

"""The ATEN route as an app: list it to serve first-login activation and the self-service pages."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtenConfig(AppConfig):
    name = "cas_educonnect.routes.aten"
    label = "educonnect_aten"
    verbose_name = _("ATEN route")
    #: « J'ai reçu un code d'activation » (shown only while CAS_EDUCONNECT_ATEN_ACTIVATION_CODES is on).
    portal_snippets = ("cas_educonnect/aten/_code_button.html",)

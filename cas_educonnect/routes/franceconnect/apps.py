from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FranceConnectConfig(AppConfig):
    name = "cas_educonnect.routes.franceconnect"
    label = "educonnect_franceconnect"
    verbose_name = _("FranceConnect")
    default_auto_field = "django.db.models.BigAutoField"
    #: « S'identifier avec FranceConnect » on the "Élèves ou parents" page.
    portal_snippets = ("cas_educonnect/franceconnect/button.html",)

    def ready(self) -> None:
        from cas_educonnect.routes.franceconnect import checks  # noqa: F401  (registers the system checks)

"""App configuration: system checks and the hardening of the CAS host."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasEduconnectConfig(AppConfig):
    name = "cas_educonnect"
    verbose_name = _("EduConnect")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cas_educonnect import checks  # noqa: F401  (registers the system checks)
        from cas_educonnect.attributes import cache
        from cas_educonnect.attributes import checks as _attribute_checks  # noqa: F401  (registers the attribute checks)

        cache.connect()

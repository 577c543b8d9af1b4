from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegacyConfig(AppConfig):
    name = "cas_educonnect.routes.legacy"
    label = "educonnect_legacy"
    verbose_name = _("Legacy accounts (other users)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cas_educonnect.routes.legacy import checks  # noqa: F401  (registers the system checks)

"""The AppConfig to list instead of ``cas_server`` in INSTALLED_APPS.

django-cas-server ships no ``default_auto_field``: with BigAutoField projects
``makemigrations`` would write a migration into site-packages. Pinning AutoField keeps the
host's schema as its own migrations describe it.
"""

from __future__ import annotations

from cas_server.apps import CasAppConfig


class CasServerConfig(CasAppConfig):
    default_auto_field = "django.db.models.AutoField"

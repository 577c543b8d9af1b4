"""The AppConfig to list instead of ``cas_server`` in INSTALLED_APPS.

Everything we change in the host is listed in :mod:`cas_educonnect.host.patches`; this
module decides *when* it happens:

* **At import**, host defaults are preempted. ``cas_server.default_settings`` copies each of
  its ``CAS_*`` defaults into ``django.conf.settings`` when it is first imported (by
  ``cas_server.models``), keeping any value already there. This module is imported by the
  app registry before any host model, so :data:`.patches.HOST_DEFAULTS` and
  ``MIGRATION_MODULES["cas_server"]`` are put in place first. A project that sets one of
  these settings keeps its value.
* **In** :meth:`CasServerConfig.ready`, the host's version is checked (another series
  refuses to start) and the patches are installed.

django-cas-server ships no ``default_auto_field``: with BigAutoField projects
``makemigrations`` would write a migration into site-packages. Pinning AutoField keeps the
host's schema as its own migrations describe it.
"""

from __future__ import annotations

import logging
import sys

from cas_server.apps import CasAppConfig

from cas_educonnect.host import patches
from cas_educonnect.host.patches import HOST_DEFAULTS, HOST_MIGRATIONS, preempt_host_defaults

__all__ = ["HOST_DEFAULTS", "HOST_MIGRATIONS", "CasServerConfig", "preempt_host_defaults"]

logger = logging.getLogger(__name__)

# Must run before ``cas_server.default_settings`` is imported; if something imported it
# earlier (e.g. a settings module importing cas_server.models), the host's defaults are already
# in place and system check cas_educonnect.W010 reports the version checks left on.
if "cas_server.default_settings" in sys.modules:
    logger.warning("cas_server.default_settings was imported before our host AppConfig: host defaults kept")
preempt_host_defaults()


class CasServerConfig(CasAppConfig):
    """django-cas-server, with AutoField pinned and its defects fixed in :meth:`ready`."""

    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        super().ready()

        # Before patching: the patches were written against one host series only.
        patches.check_host_version()
        patches.install()

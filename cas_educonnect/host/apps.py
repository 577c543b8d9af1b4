"""The AppConfig to list instead of ``cas_server`` in INSTALLED_APPS.

Two things happen here, and only here:

* django-cas-server ships no ``default_auto_field``: with BigAutoField projects
  ``makemigrations`` would write a migration into site-packages. Pinning AutoField keeps the
  host's schema as its own migrations describe it. Its migrations also miss a state-only
  step: ``MIGRATION_MODULES["cas_server"]`` defaults to our completed copy
  (:mod:`cas_educonnect.host.cas_server_migrations`), so ``makemigrations --check`` is clean
  and nothing is ever written into site-packages.
* **Host defaults are preempted.** ``cas_server.default_settings`` copies each of its
  ``CAS_*`` defaults into ``django.conf.settings`` when it is first imported (by
  ``cas_server.models``), keeping any value already there. This module is imported by the app
  registry before any host model, so the project-independent defaults in
  :data:`HOST_DEFAULTS` are put in place first: no outbound version check to PyPI on every
  page (the host does it without a timeout), and our DSFR templates. A project that sets one
  of these settings keeps its value. This is the one place where we write into
  ``django.conf.settings``, because the host reads these names from there and nowhere else.
"""

from __future__ import annotations

import logging
import sys

from cas_server.apps import CasAppConfig
from django.conf import settings as django_settings

logger = logging.getLogger(__name__)

#: Defaults we give the host's own settings (a project's explicit value always wins).
HOST_DEFAULTS: dict[str, object] = {
    "CAS_NEW_VERSION_HTML_WARNING": False,
    "CAS_NEW_VERSION_EMAIL_WARNING": False,
    "CAS_LOGIN_TEMPLATE": "cas_educonnect/host/login.html",
    "CAS_LOGGED_TEMPLATE": "cas_educonnect/host/logged.html",
    "CAS_LOGOUT_TEMPLATE": "cas_educonnect/host/logout.html",
    "CAS_WARN_TEMPLATE": "cas_educonnect/host/warn.html",
    "CAS_SHOW_POWERED": False,
    # The host's credential form with failed logins throttled (per identifier and per IP).
    "CAS_USER_CREDENTIAL_FORM": "cas_educonnect.routes.aten.steps.ThrottledUserCredential",
}


#: Where the host's migrations come from (see :mod:`.cas_server_migrations`).
HOST_MIGRATIONS = "cas_educonnect.host.cas_server_migrations"


def preempt_host_defaults() -> list[str]:
    """Put :data:`HOST_DEFAULTS` into settings where the project set nothing; return the names set."""
    applied = []
    for name, value in HOST_DEFAULTS.items():
        if not hasattr(django_settings, name):
            setattr(django_settings, name, value)
            applied.append(name)
    if "cas_server" not in django_settings.MIGRATION_MODULES:
        django_settings.MIGRATION_MODULES = {**django_settings.MIGRATION_MODULES, "cas_server": HOST_MIGRATIONS}
        applied.append("MIGRATION_MODULES")
    return applied


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
        from cas_educonnect.host import patterns, tickets

        tickets.install()
        patterns.install()

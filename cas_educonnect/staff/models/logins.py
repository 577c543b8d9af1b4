"""Logins per route, for the statistics (issue 9: routes used: password, SMS, FranceConnect, legacy).

One row per SSO session opened (one INSERT, at login, never at ticket issuance); a school's
statistics count its accounts' rows per route and month.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cas_educonnect.login.flow import LoginRoute


class RouteLogin(models.Model):
    """``username`` opened an SSO session through ``route`` at ``at``."""

    username = models.CharField(_("username"), max_length=150, help_text=_("CAS username."))
    route = models.CharField(_("route"), max_length=20, choices=LoginRoute.choices, help_text=_("Login route."))
    at = models.DateTimeField(_("time"), auto_now_add=True, help_text=_("When the SSO session was opened."))

    class Meta:
        verbose_name = _("login by route")
        verbose_name_plural = _("logins by route")
        indexes = [models.Index(fields=["username", "at"], name="educonnect_routelogin_user")]

    def __str__(self) -> str:
        return f"{self.username} {self.route} {self.at:%Y-%m-%d %H:%M}"

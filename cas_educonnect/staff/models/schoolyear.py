"""The record of each school year rollover (run once per year, ``educonnect_rollover``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolYearRollover(models.Model):
    """The rollover into the school year beginning in ``year`` was done at ``done_at``.

    The unique ``year`` makes the command run once per year, even started twice at once.

    Attributes:
        year: first calendar year of the school year entered (2026 for 2026-2027).
        done_at: when the rollover ran.
        summary: what it did, per school (UAI): the closing year's account statistics,
            accounts carried over and accounts to notify again; delegations revoked.
    """

    year = models.PositiveSmallIntegerField(_("school year"), unique=True, help_text=_("First year (2026: 2026-2027)."))
    done_at = models.DateTimeField(_("done at"), auto_now_add=True, help_text=_("When the rollover ran."))
    summary = models.JSONField(_("summary"), default=dict, help_text=_("What the rollover did, per school."))

    class Meta:
        verbose_name = _("school year rollover")
        verbose_name_plural = _("school year rollovers")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}-{self.year + 1}"

"""Rows of the limiter's database backend (``cas_educonnect.core.ratelimit.backends``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitCounter(models.Model):
    """One counter: ``count`` hits until ``expires_at``, then the next hit restarts it.

    ``key`` is a keyed hash of the scope and the counted key (``storage_key``), never the
    identifier, number or address itself. Written only by raw atomic upserts.
    """

    key = models.CharField(_("key"), max_length=64, unique=True, help_text=_("Hash of what is counted."))
    count = models.PositiveIntegerField(_("count"), default=0, help_text=_("Hits in the window."))
    expires_at = models.DateTimeField(_("window end"), db_index=True, help_text=_("End of the current window."))

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"

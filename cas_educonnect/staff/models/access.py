"""Access counts per person, service and month, for the statistics (seed 004 §5.3).

Counted when the CAS server issues a service ticket (one per access to a service); kept
aggregated per month so the table stays small, and joined with a school's accounts when
its statistics are shown.
"""

from __future__ import annotations

from cas_server.models import ServicePattern
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceAccess(models.Model):
    """How many tickets ``username`` got for ``service_pattern`` during ``month``.

    Attributes:
        username: the CAS username (the account identifier).
        service_pattern: the service (kept null if the service is deleted).
        month: first day of the month.
        count: number of service tickets issued.
    """

    username = models.CharField(_("username"), max_length=150, help_text=_("CAS username."))
    service_pattern = models.ForeignKey(
        ServicePattern, on_delete=models.SET_NULL, null=True, related_name="+", help_text=_("Service.")
    )
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    count = models.PositiveIntegerField(_("count"), default=0, help_text=_("Tickets issued."))

    class Meta:
        verbose_name = _("service access count")
        verbose_name_plural = _("service access counts")
        constraints = [
            models.UniqueConstraint(fields=["username", "service_pattern", "month"], name="educonnect_access_uniq")
        ]

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


class AccessCount(models.Model):
    """Accesses (service tickets) of one day, school, service, category of person and MEFSTAT.

    Written by the access counter (``staff.counting``): counted in Redis, flushed here by
    ``educonnect_flush_accesses``; no person is named. Plain ids, no foreign keys, so a row
    never blocks deleting a school or a service and the unique key holds no NULL.

    Attributes:
        day: local date of the accesses.
        uai: the school of the person ('' if none: legacy accounts, staff...).
        service_id: ``cas_server.ServicePattern`` id (0: no pattern).
        category: ``AccountKind`` of the account ('' if unknown).
        mefstat: MEFSTAT11 of the pupil concerned in that school ('' if unknown).
        count: number of service tickets issued.
    """

    day = models.DateField(_("day"), help_text=_("Local date of the accesses."))
    uai = models.CharField(_("UAI"), max_length=8, blank=True, help_text=_("School of the person."))
    service_id = models.PositiveIntegerField(_("service"), default=0, help_text=_("Service pattern id."))
    category = models.CharField(_("category"), max_length=16, blank=True, help_text=_("Pupil, representative..."))
    mefstat = models.CharField(_("MEFSTAT"), max_length=11, blank=True, help_text=_("MEFSTAT of the pupil."))
    count = models.PositiveIntegerField(_("count"), default=0, help_text=_("Tickets issued."))

    class Meta:
        verbose_name = _("access count")
        verbose_name_plural = _("access counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "uai", "service_id", "category", "mefstat"], name="educonnect_accesscount_uniq"
            )
        ]
        indexes = [models.Index(fields=["uai", "day"], name="educonnect_accesscount_school")]


class AccessCountFlush(models.Model):
    """A batch of Redis counters already added to :class:`AccessCount` (a retried flush skips it)."""

    batch = models.CharField(_("batch"), max_length=255, unique=True, help_text=_("Redis key of the batch."))
    flushed_at = models.DateTimeField(_("flushed at"), auto_now_add=True, help_text=_("When it was added."))

    class Meta:
        verbose_name = _("access count flush")
        verbose_name_plural = _("access count flushes")

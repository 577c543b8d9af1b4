"""What kind of service a CAS ServicePattern is, for refusals and the portal."""

from __future__ import annotations

from cas_server.models import ServicePattern
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Schooling follow-up online service")
    PEDAGOGICAL = "pedagogical", _("Pedagogical resource")
    ENT = "ent", _("ENT")
    ACADEMIC = "academic", _("Academic service")
    OTHER = "other", _("Other")


class ServiceProfile(models.Model):
    """Our facts about one ServicePattern (the host's service registry)."""

    service_pattern = models.OneToOneField(
        ServicePattern, on_delete=models.CASCADE, related_name="educonnect", help_text=_("CAS service.")
    )
    category = models.CharField(
        _("category"),
        max_length=16,
        choices=ServiceCategory.choices,
        default=ServiceCategory.OTHER,
        help_text=_("Follow-up services are closed to pupils whose representative refused the service."),
    )
    url = models.URLField(_("address"), blank=True, help_text=_("Access link shown on the portal."))
    mandatory = models.BooleanField(_("mandatory"), default=False, help_text=_("A school cannot close this service."))

    class Meta:
        verbose_name = _("service profile")
        verbose_name_plural = _("service profiles")

    def __str__(self) -> str:
        return str(self.service_pattern)


# Seed 004 §2.1: a school opens or closes the national online services, not its ENT (set up
# with the school, not switched per school here) nor the academy's own services. These
# categories are open in every school and the « Services en ligne » page does not list them.
NOT_SCHOOL_MANAGED = frozenset({ServiceCategory.ENT, ServiceCategory.ACADEMIC})


def school_managed(profile: ServiceProfile | None) -> bool:
    """Whether a school may open or close the service of ``profile`` (no profile: category OTHER)."""
    return profile is None or (profile.category not in NOT_SCHOOL_MANAGED and not profile.mandatory)

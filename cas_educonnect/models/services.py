"""What kind of service a CAS ServicePattern is, for refusals and the portal."""

from __future__ import annotations

from cas_server.models import ServicePattern
from django.db import models
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models.directory import Establishment


class ServiceCategory(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Schooling follow-up online service")
    PEDAGOGICAL = "pedagogical", _("Pedagogical resource")
    ENT = "ent", _("ENT")
    ACADEMIC = "academic", _("Academic service")
    OTHER = "other", _("Other")


class ServiceAudience(models.TextChoices):
    BOTH = "both", _("Pupils and representatives")
    REPRESENTATIVES = "representatives", _("Representatives only")
    PUPILS = "pupils", _("Pupils only")


class SiecleModule(models.TextChoices):
    """SIECLE applications a national service needs the school to use [004 §1.1, §2.1]."""

    NOTES = "notes", _("SIECLE Notes")
    EVALUATION = "evaluation", _("SIECLE Évaluation")
    VIE_SCOLAIRE = "vie_scolaire", _("SIECLE Vie scolaire")


class ServiceProfile(models.Model):
    """Our facts about one ServicePattern (the host's service registry).

    Attributes:
        audience: who may get a ticket for it (pupils, representatives, or both) [002 §3.1].
        siecle_module: the SIECLE application a school must use to open it (« Consultation
            des notes » needs SIECLE Notes): greyed and refused elsewhere [004 §2.1].
        experimental / experimental_schools: an academic service the academy tries in the
            listed schools only, which may open or close it there [004 §1.2.4].
    """

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
    audience = models.CharField(
        _("audience"),
        max_length=16,
        choices=ServiceAudience.choices,
        default=ServiceAudience.BOTH,
        help_text=_("Who may reach the service; others get no ticket."),
    )
    siecle_module = models.CharField(
        _("SIECLE module needed"),
        max_length=16,
        choices=SiecleModule.choices,
        blank=True,
        help_text=_("Only schools using this SIECLE module may open the service."),
    )
    experimental = models.BooleanField(
        _("experimental"),
        default=False,
        help_text=_("Academic service tried in the listed schools only, which may open or close it."),
    )
    experimental_schools = models.ManyToManyField(
        Establishment,
        blank=True,
        related_name="experimental_services",
        help_text=_("Schools where the experimental service is offered."),
    )

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
    """Whether a school may open or close the service of ``profile`` (no profile: category OTHER).

    An experimental academic service is the listed schools' to open or close.
    """
    if profile is None:
        return True
    return (profile.category not in NOT_SCHOOL_MANAGED or profile.experimental) and not profile.mandatory

"""What kind of service a CAS ServicePattern is, for refusals and the portal."""

from __future__ import annotations

from cas_server.models import ServicePattern
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Téléservice de suivi de la scolarité")
    PEDAGOGICAL = "pedagogical", _("Ressource pédagogique")
    ENT = "ent", _("ENT")
    ACADEMIC = "academic", _("Service académique")
    OTHER = "other", _("Autre")


class ServiceProfile(models.Model):
    """Our facts about one ServicePattern (the host's service registry)."""

    service_pattern = models.OneToOneField(
        ServicePattern, on_delete=models.CASCADE, related_name="educonnect", help_text=_("Service CAS.")
    )
    category = models.CharField(
        _("catégorie"),
        max_length=16,
        choices=ServiceCategory.choices,
        default=ServiceCategory.OTHER,
        help_text=_("Les téléservices de suivi sont fermés aux élèves dont le représentant a refusé le service."),
    )
    url = models.URLField(_("adresse"), blank=True, help_text=_("Lien d'accès affiché sur le portail."))
    mandatory = models.BooleanField(
        _("obligatoire"), default=False, help_text=_("Un établissement ne peut pas fermer ce service.")
    )

    class Meta:
        verbose_name = _("profil de service")
        verbose_name_plural = _("profils de service")

    def __str__(self) -> str:
        return str(self.service_pattern)

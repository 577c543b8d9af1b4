"""The link between a FranceConnect identity (``sub``) and an EduConnect account."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Account


class FranceConnectLink(models.Model):
    """One FranceConnect ``sub`` linked to one representative account.

    Only the minimum is kept: the opaque ``sub`` (what later logins look up) and the
    identité pivot names and birth date seen at link time (what staff check on a dispute).
    The email FranceConnect returns is a contact address, never an identity key: not stored.

    Attributes:
        account: the representative account the ``sub`` logs into.
        sub: FranceConnect's pairwise subject, unique.
        given_name / family_name / birthdate: claims at link time.
        linked_at: when the owner completed the first link.
    """

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="franceconnect_links", help_text=_("Compte lié.")
    )
    sub = models.CharField(_("identifiant FranceConnect"), max_length=255, unique=True, help_text=_("Claim sub."))
    given_name = models.CharField(_("prénoms"), max_length=255, blank=True, help_text=_("Prénoms FranceConnect."))
    family_name = models.CharField(_("nom"), max_length=255, blank=True, help_text=_("Nom de naissance."))
    birthdate = models.CharField(_("date de naissance"), max_length=10, blank=True, help_text=_("AAAA-MM-JJ."))
    linked_at = models.DateTimeField(_("lié le"), auto_now_add=True, help_text=_("Date de la liaison."))

    class Meta:
        verbose_name = _("liaison FranceConnect")
        verbose_name_plural = _("liaisons FranceConnect")
        ordering = ["-linked_at"]

    def __str__(self) -> str:
        return f"{self.account} ↔ FranceConnect"

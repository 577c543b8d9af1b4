"""The link between a FranceConnect identity (``sub``) and an EduConnect account."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models import Account


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
        Account, on_delete=models.CASCADE, related_name="franceconnect_links", help_text=_("Linked account.")
    )
    sub = models.CharField(_("FranceConnect subject"), max_length=255, unique=True, help_text=_("The sub claim."))
    given_name = models.CharField(
        _("given names"), max_length=255, blank=True, help_text=_("FranceConnect given names.")
    )
    family_name = models.CharField(_("family name"), max_length=255, blank=True, help_text=_("Birth name."))
    birthdate = models.CharField(_("birth date"), max_length=10, blank=True, help_text=_("YYYY-MM-DD."))
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True, help_text=_("When the link was made."))

    class Meta:
        app_label = "educonnect_franceconnect"
        verbose_name = _("FranceConnect link")
        verbose_name_plural = _("FranceConnect links")
        ordering = ["-linked_at"]

    def __str__(self) -> str:
        return f"{self.account} ↔ FranceConnect"

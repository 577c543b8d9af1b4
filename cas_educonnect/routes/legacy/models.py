"""Storage of the legacy route: one profile per imported account, and the sunset dates.

A legacy account *is* an ``Account`` (kind ``legacy``, identifier = historical CAS
identifier lowercased, ``legacy_identifier`` = the identifier as the old directory spelled
it), so the usual backend checks its password and the usual attribute release applies.
What only the legacy route needs lives here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models import Account
from cas_educonnect.routes.legacy.base import SWITCHABLE, LegacyCategory


class LegacyProfile(models.Model):
    """What the legacy directory said about an imported account, and its switch.

    Attributes:
        imported_hash: the hash as last imported (Django format), so a re-import never
            overwrites a password upgraded at login unless the legacy directory changed it.
        switched_to: the EduConnect account the person switched to (the legacy one is closed).
        switch_offer_declined_at: when the person last answered "later" to the switch offer
            (per account, not per browser: school computers are shared).
    """

    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, related_name="legacy_profile", help_text=_("Legacy account.")
    )
    category = models.CharField(
        _("population"),
        max_length=16,
        choices=LegacyCategory.choices,
        db_index=True,
        help_text=_("Population in the legacy directory."),
    )
    last_name = models.CharField(
        _("last name"), max_length=255, blank=True, help_text=_("Last name in the legacy directory.")
    )
    first_name = models.CharField(
        _("first name"), max_length=255, blank=True, help_text=_("First name in the legacy directory.")
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True, help_text=_("When known."))
    jointure = models.CharField(
        _("AAF jointure"), max_length=64, blank=True, db_index=True, help_text=_("Directory person, when known.")
    )
    imported_hash = models.CharField(
        _("imported hash"), max_length=255, blank=True, help_text=_("Password hash as last imported.")
    )
    source = models.CharField(_("source file"), max_length=255, blank=True, help_text=_("File of the last import."))
    last_login_at = models.DateTimeField(
        _("last legacy login"), null=True, blank=True, help_text=_("Through the “Other users” route.")
    )
    switched_at = models.DateTimeField(_("switched at"), null=True, blank=True, help_text=_("Switch to EduConnect."))
    switch_offer_declined_at = models.DateTimeField(
        _("switch offer declined at"),
        null=True,
        blank=True,
        help_text=_("Last “Later” on the switch offer shown after a legacy login."),
    )
    switched_to = models.ForeignKey(
        Account,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="switched_from",
        help_text=_("EduConnect account the person switched to."),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True, help_text=_("First import."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("Last change."))

    class Meta:
        app_label = "educonnect_legacy"
        verbose_name = _("legacy account")
        verbose_name_plural = _("legacy accounts")
        ordering = ["account__identifier"]

    def __str__(self) -> str:
        return self.account.legacy_identifier or self.account.identifier

    @property
    def switchable_population(self) -> bool:
        """Pupils and representatives may switch; teachers and other publics keep the legacy route."""
        return self.category in SWITCHABLE


class LegacySunset(models.Model):
    """From which day a population can no longer log in on the legacy route (overrides the setting)."""

    category = models.CharField(
        _("population"),
        max_length=16,
        choices=[(c.value, c.label) for c in SWITCHABLE],
        unique=True,
        help_text=_("Pupils or legal representatives."),
    )
    closes_on = models.DateField(_("closed from"), help_text=_("First day without the “Other users” route."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("Last change."))

    class Meta:
        app_label = "educonnect_legacy"
        verbose_name = _("“Other users” route sunset")
        verbose_name_plural = _("“Other users” route sunsets")
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.closes_on:%d/%m/%Y}"

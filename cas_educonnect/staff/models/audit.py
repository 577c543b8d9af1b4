"""The audit log of staff actions: who, when, what, which accounts. Never credentials."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models import Establishment


class AuditAction(models.TextChoices):
    DELEGATION_GRANTED = "delegation_granted", _("Delegation granted")
    DELEGATION_REVOKED = "delegation_revoked", _("Delegation revoked")
    NOTIFY = "notify", _("Accounts notified")
    LETTERS_DOWNLOADED = "letters_downloaded", _("Letters downloaded")
    RENOTIFY = "renotify", _("Account re-notified, provisional password reset")
    RESEND_ACTIVATION = "resend_activation", _("Activation email sent again")
    NEW_ACCOUNT = "new_account", _("New normalized account created")
    SIMULATE = "simulate", _("Access simulated")
    LIST_EXPORTED = "list_exported", _("Pupil list exported")
    STATS_EXPORTED = "stats_exported", _("Statistics exported")
    SETTINGS_CHANGED = "settings_changed", _("School settings changed")
    SERVICE_CHANGED = "service_changed", _("Online service opened or closed")
    REPORT_HANDLED = "report_handled", _("Report handled")
    DEVICES_RESET = "devices_reset", _("OTP devices reset")
    DEVICE_ENROLLED = "device_enrolled", _("OTP device enrolled")
    FRANCECONNECT_UNLINKED = "fc_unlinked", _("FranceConnect unlinked")
    ACCOUNTS_GROUPED = "accounts_grouped", _("Accounts grouped by their owner")
    REFUSAL_RECORDED = "refusal_recorded", _("Refusal of the online services recorded")
    REFUSAL_WITHDRAWN = "refusal_withdrawn", _("Refusal of the online services withdrawn")
    EMAIL_WRITTEN = "email_written", _("Email written to several representatives")
    CODES_INVALIDATED = "codes_invalidated", _("Activation codes invalidated")
    CODES_REGENERATED = "codes_regenerated", _("Activation code regenerated")
    SERVICES_ACTIVATED = "services_activated", _("Online services activated")


class AuditLog(models.Model):
    """One staff action.

    Attributes:
        actor / actor_username: who acted (the name is kept if the user is deleted).
        action: what was done.
        establishment: the school concerned (none for academy-wide actions).
        identifiers: identifiers of the accounts concerned.
        detail: a short free text; never a password, token or code.
    """

    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True, help_text=_("When."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("staff member"),
        help_text=_("Who."),
    )
    actor_username = models.CharField(_("by"), max_length=150, help_text=_("Username of the actor."))
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices, help_text=_("What."))
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("school"),
        help_text=_("School concerned."),
    )
    identifiers = models.JSONField(_("accounts"), default=list, blank=True, help_text=_("Accounts concerned."))
    detail = models.CharField(_("detail"), max_length=500, blank=True, help_text=_("Details, never credentials."))

    class Meta:
        # "12 actions journalisées": the admin puts the count before the plural name.
        verbose_name = _("logged action")
        verbose_name_plural = _("logged actions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor_username} – {self.get_action_display()}"

"""Accounts: what a person logs in with, and what it covers in the directory.

An account is not a Django user: 1 M pre-created accounts must not mean 1 M auth users.
The Django user (any ``AUTH_USER_MODEL``) is created when the account is first used, so
sessions, the admin and ``authenticate()`` work as usual. The chosen password is hashed
with Django's hashers on the account itself; the provisional one is kept encrypted so the
school can print it again until activation (see ``cas_educonnect.accounts.passwords``).
State changes go through ``cas_educonnect.accounts.lifecycle``, never by hand.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.hashers import is_password_usable
from django.db import models
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models.directory import Pupil, Representative


class AccountKind(models.TextChoices):
    PUPIL = "pupil", _("Pupil")
    REPRESENTATIVE = "representative", _("Legal representative")
    LEGACY = "legacy", _("Other users")


class AccountState(models.TextChoices):
    NOT_NOTIFIED = "not_notified", _("Not notified")
    NOTIFIED = "notified", _("Notified")
    ACTIVATING = "activating", _("Activation in progress")
    ACTIVE = "active", _("In use")
    CLOSED = "closed", _("Closed")


class NotificationMode(models.TextChoices):
    PAPER = "paper", _("Paper letter")
    EMAIL = "email", _("Email")
    BOTH = "both", _("Paper letter and email")


def new_opaque_id() -> str:
    """A fresh FrEduCtId: 96 hex characters, random, so it reveals nothing about the person."""
    return secrets.token_hex(48)


def cas_username(kind: str, identifier: str, legacy_identifier: str) -> str:
    """The CAS user of an account (``cas:user``, ``uid``).

    A legacy account keeps its historical spelling (services matched it case-sensitively for
    years); every other account is known by its normalized identifier. Lookups stay
    case-insensitive (``identifier`` is the lowercased spelling), so a spelling that does not
    lowercase to the identifier is never used: it would not find its account again.
    """
    legacy = (legacy_identifier or "").strip()
    if kind == AccountKind.LEGACY and legacy and legacy.lower() == identifier:
        return legacy
    return identifier


class Account(models.Model):
    """A login identity: a pupil's, a representative's (possibly grouped or joint), or legacy.

    Attributes:
        identifier: the normalized ``prenom.nom[N]`` login, never reused (see UsedIdentifier).
        opaque_id: the stable opaque id released as ``FrEduCtId`` / ``{ECT}`` (never changes).
        password: Django password hash of the chosen password, empty until activation; an
            *active* account made by the FranceConnect first link without a password holds
            Django's unusable hash instead (:meth:`has_usable_password`): FranceConnect only.
        provisional_password: Fernet token of the provisional password, wiped at activation.
        pupils / representatives: the directory persons the account covers (a grouped
            representative account covers several records; a joint account two people).
        *_at: the date each life-cycle transition last happened.
    """

    identifier = models.CharField(
        _("identifier"), max_length=64, unique=True, help_text=_("Normalized identifier prenom.nom[N].")
    )
    opaque_id = models.CharField(
        _("opaque id"),
        max_length=96,
        unique=True,
        default=new_opaque_id,
        editable=False,
        help_text=_("Stable opaque id released to services (FrEduCtId); reveals nothing."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="educonnect_account",
        help_text=_("Django user created at first use."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=AccountKind.choices, help_text=_("Who the account is for.")
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=AccountState.choices,
        default=AccountState.NOT_NOTIFIED,
        db_index=True,
        help_text=_("Step of the life cycle."),
    )
    password = models.CharField(_("password"), max_length=255, blank=True, help_text=_("Django password hash."))
    provisional_password = models.TextField(
        _("provisional password"), blank=True, help_text=_("Encrypted; wiped at activation.")
    )
    pupils = models.ManyToManyField(
        Pupil, related_name="accounts", blank=True, help_text=_("Pupil covered (pupil account).")
    )
    representatives = models.ManyToManyField(
        Representative,
        related_name="accounts",
        blank=True,
        help_text=_("Persons covered (several for a grouped or joint account)."),
    )
    email = models.EmailField(_("email"), blank=True, help_text=_("Address of the account."))
    email_validated = models.BooleanField(
        _("email validated"), default=False, help_text=_("The address was confirmed through a link.")
    )
    pending_email = models.EmailField(
        _("pending email"), blank=True, help_text=_("New address waiting for confirmation.")
    )
    legacy_identifier = models.CharField(
        _("legacy identifier"),
        max_length=150,
        blank=True,
        db_index=True,
        help_text=_("Historical CAS identifier kept after the switch."),
    )
    refused = models.BooleanField(
        _("service refused"), default=False, help_text=_("Made unusable at the holder's request.")
    )
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True, help_text=_("Last notification."))
    notification_mode = models.CharField(
        _("notification mode"),
        max_length=8,
        choices=NotificationMode.choices,
        blank=True,
        help_text=_("How the last notification was sent."),
    )
    activation_started_at = models.DateTimeField(
        _("activation started at"), null=True, blank=True, help_text=_("First login with the provisional password.")
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True, help_text=_("Activation."))
    email_validated_at = models.DateTimeField(
        _("email validated at"), null=True, blank=True, help_text=_("Confirmation of the address.")
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, help_text=_("Last login."))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, help_text=_("Closing."))
    state_changed_at = models.DateTimeField(
        _("state changed at"), null=True, blank=True, help_text=_("Last life-cycle transition.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("Creation."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("Last change."))

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["identifier"]
        indexes = [
            models.Index(fields=["state", "notified_at"], name="educonnect_account_purge_idx"),
            models.Index(fields=["state", "last_used_at"], name="educonnect_account_unused_idx"),
        ]

    def __str__(self) -> str:
        return self.identifier

    def has_usable_password(self) -> bool:
        """Whether a password can log this account in (False: none yet, or FranceConnect only)."""
        return bool(self.password) and is_password_usable(self.password)

    @property
    def cas_username(self) -> str:
        """The CAS user services receive (``cas:user``, ``uid``): see :func:`cas_username`."""
        return cas_username(self.kind, self.identifier, self.legacy_identifier)


class UsedIdentifier(models.Model):
    """Every identifier ever handed out, so none is reused after its account is gone."""

    identifier = models.CharField(_("identifier"), max_length=64, unique=True, help_text=_("Identifier handed out."))
    base = models.CharField(
        _("base"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("The prenom.nom the identifier was numbered from (finds the first free number fast)."),
    )
    created_at = models.DateTimeField(_("handed out at"), auto_now_add=True, help_text=_("When it was handed out."))

    class Meta:
        verbose_name = _("used identifier")
        verbose_name_plural = _("used identifiers")


class AccountReport(models.Model):
    """Something a user reported about an account for the school (e.g. "not the legal rep")."""

    class Kind(models.TextChoices):
        NOT_LEGAL_REPRESENTATIVE = "not_legal_rep", _("Is not the legal representative")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="reports", help_text=_("Account."))
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, null=True, blank=True, related_name="reports", help_text=_("Pupil concerned.")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, help_text=_("What was reported."))
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, help_text=_("When it was reported."))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True, help_text=_("When it was handled."))

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]

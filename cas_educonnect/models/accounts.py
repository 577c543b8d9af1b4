"""Accounts: what a person logs in with, and what it covers in the directory.

An account is not a Django user: 1 M pre-created accounts must not mean 1 M auth users.
The Django user (any ``AUTH_USER_MODEL``) is created when the account is first used, so
sessions, the admin and ``authenticate()`` work as usual. The chosen password is hashed
with Django's hashers on the account itself; the provisional one is kept encrypted so the
school can print it again until activation (see ``cas_educonnect.accounts.passwords``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .directory import Pupil, Representative


class AccountKind(models.TextChoices):
    PUPIL = "pupil", _("Élève")
    REPRESENTATIVE = "representative", _("Représentant légal")
    LEGACY = "legacy", _("Autres publics")


class AccountState(models.TextChoices):
    NOT_NOTIFIED = "not_notified", _("Non notifié")
    NOTIFIED = "notified", _("Notifié")
    ACTIVATING = "activating", _("En cours d'activation")
    ACTIVE = "active", _("Utilisé")
    CLOSED = "closed", _("Fermé")


class NotificationMode(models.TextChoices):
    PAPER = "paper", _("Courrier")
    EMAIL = "email", _("Courriel")
    BOTH = "both", _("Courrier et courriel")


class Account(models.Model):
    """A login identity: a pupil's, a representative's (possibly grouped or joint), or legacy.

    Attributes:
        identifier: the normalized ``prenom.nom[N]`` login, never reused (see UsedIdentifier).
        password: Django password hash of the chosen password, empty until activation.
        provisional_password: Fernet token of the provisional password, wiped at activation.
        pupils / representatives: the directory persons the account covers.
    """

    identifier = models.CharField(
        _("identifiant"), max_length=64, unique=True, help_text=_("Identifiant normalisé prenom.nom[N].")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="educonnect_account",
        help_text=_("Utilisateur Django créé à la première utilisation."),
    )
    kind = models.CharField(_("type"), max_length=16, choices=AccountKind.choices, help_text=_("Public du compte."))
    state = models.CharField(
        _("état"),
        max_length=16,
        choices=AccountState.choices,
        default=AccountState.NOT_NOTIFIED,
        db_index=True,
        help_text=_("Étape du cycle de vie."),
    )
    password = models.CharField(_("mot de passe"), max_length=255, blank=True, help_text=_("Empreinte Django."))
    provisional_password = models.TextField(
        _("mot de passe provisoire"), blank=True, help_text=_("Chiffré; effacé à l'activation.")
    )
    pupils = models.ManyToManyField(
        Pupil, related_name="accounts", blank=True, help_text=_("Élève couvert (compte élève).")
    )
    representatives = models.ManyToManyField(
        Representative,
        related_name="accounts",
        blank=True,
        help_text=_("Personnes couvertes (plusieurs pour un compte conjoint)."),
    )
    email = models.EmailField(_("courriel"), blank=True, help_text=_("Adresse du compte."))
    email_validated = models.BooleanField(
        _("courriel validé"), default=False, help_text=_("L'adresse a été confirmée par un lien.")
    )
    pending_email = models.EmailField(
        _("courriel en attente"), blank=True, help_text=_("Nouvelle adresse en attente de confirmation.")
    )
    legacy_identifier = models.CharField(
        _("identifiant historique"),
        max_length=150,
        blank=True,
        db_index=True,
        help_text=_("Identifiant CAS historique conservé après bascule."),
    )
    refused = models.BooleanField(
        _("service refusé"), default=False, help_text=_("Compte rendu inutilisable à la demande du titulaire.")
    )
    notified_at = models.DateTimeField(_("notifié le"), null=True, blank=True, help_text=_("Dernière notification."))
    notification_mode = models.CharField(
        _("mode de notification"), max_length=8, choices=NotificationMode.choices, blank=True, help_text=_("Mode.")
    )
    activated_at = models.DateTimeField(_("activé le"), null=True, blank=True, help_text=_("Première connexion."))
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True, help_text=_("Connexion."))
    closed_at = models.DateTimeField(_("fermé le"), null=True, blank=True, help_text=_("Fermeture."))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, help_text=_("Création."))
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True, help_text=_("Dernière modification."))

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        ordering = ["identifier"]

    def __str__(self) -> str:
        return self.identifier


class UsedIdentifier(models.Model):
    """Every identifier ever handed out, so none is reused after its account is gone."""

    identifier = models.CharField(_("identifiant"), max_length=64, unique=True, help_text=_("Identifiant attribué."))
    created_at = models.DateTimeField(_("attribué le"), auto_now_add=True, help_text=_("Attribution."))

    class Meta:
        verbose_name = _("identifiant attribué")
        verbose_name_plural = _("identifiants attribués")


class AccountReport(models.Model):
    """Something a user reported about an account for the school (e.g. "not the legal rep")."""

    class Kind(models.TextChoices):
        NOT_LEGAL_REPRESENTATIVE = "not_legal_rep", _("N'est pas le représentant légal")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="reports", help_text=_("Compte."))
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, null=True, blank=True, related_name="reports", help_text=_("Élève concerné.")
    )
    kind = models.CharField(_("nature"), max_length=32, choices=Kind.choices, help_text=_("Nature du signalement."))
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True, help_text=_("Date du signalement."))
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True, help_text=_("Traitement."))

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at"]

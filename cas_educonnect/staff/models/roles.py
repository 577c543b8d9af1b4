"""Who may administer which school: heads by role, agents by a dated, revocable delegation."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models import Establishment


class Role(models.TextChoices):
    HEAD = "head", _("Head of school")
    AGENT = "agent", _("Agent")


class StaffRole(models.Model):
    """A staff member's role in one school.

    A head administers the school by this row alone; an agent only through an active
    :class:`Delegation` granted by a head.

    Attributes:
        user: the Django staff user.
        establishment: the school.
        role: head or agent.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="educonnect_roles",
        verbose_name=_("staff member"),
        help_text=_("Staff user."),
    )
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("school"),
        help_text=_("School."),
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, help_text=_("Head or agent."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("Creation."))

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "establishment", "role"], name="educonnect_staffrole_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.establishment.uai}"


#: The rights a delegation may grant beyond account management (``Delegation.may_change_<right>``).
DELEGATION_RIGHTS = ("settings", "services", "letters")


class DelegationQuerySet(models.QuerySet):
    def active(self, at=None) -> DelegationQuerySet:
        """Delegations in force at ``at`` (now): started, not ended, not revoked."""
        today = timezone.localdate(at or timezone.now())
        return self.filter(revoked_at__isnull=True, starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )


class Delegation(models.Model):
    """A head's grant of account-management rights on one school to an agent (DELEG-CE).

    Attributes:
        granted_by: the head who granted it.
        agent: the user receiving the rights.
        establishment: the school the rights apply to.
        starts_on / ends_on: inclusive validity dates (no end: until revoked).
        revoked_at / revoked_by: set when revoked; a revoked delegation gives nothing.
        may_change_settings / may_change_services / may_change_letters: the rights granted on
            top of account management (always given): school settings (portal texts, useful
            links, SIECLE modules), opening and closing services, letter texts. All by default,
            as the guide gives the agent the whole module [004 §1.3 point 5]; delegations
            and the audit log stay the head's.
    """

    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="educonnect_delegations_granted",
        verbose_name=_("granted by"),
        help_text=_("Head who granted the delegation."),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="educonnect_delegations",
        verbose_name=_("agent"),
        help_text=_("Agent receiving the rights."),
    )
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.CASCADE,
        related_name="delegations",
        verbose_name=_("school"),
        help_text=_("School."),
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate, help_text=_("First day of validity."))
    ends_on = models.DateField(_("ends on"), null=True, blank=True, help_text=_("Last day of validity."))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, help_text=_("Revocation time."))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
        help_text=_("Who revoked the delegation."),
    )
    may_change_settings = models.BooleanField(
        _("may change school settings"), default=True, help_text=_("Portal texts, useful links, SIECLE modules.")
    )
    may_change_services = models.BooleanField(
        _("may open and close services"), default=True, help_text=_("« Services en ligne » of the school.")
    )
    may_change_letters = models.BooleanField(
        _("may change the letters"), default=True, help_text=_("Letter type, header and bodies, preview.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("Creation."))

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.agent} – {self.establishment.uai}"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date must not be before the start date.")})

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.revoked_at is None and self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)

"""ATEN activation codes (CAR, CAE): a first-login credential printed in the notification letter.

The historical ATEN desk [000 §3] opened accounts from a code calculated for each
representative/pupil pair and school (CAR) or for each pupil (CAE), given with the child's
birth date. Here the account is pre-created as for the provisional password; the code is
another way to its first login. A code is ``<lookup>-<secret>``: the lookup part is stored
in clear (unique, found by index), the secret only as a Django password hash (Argon2).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models.accounts import Account
from cas_educonnect.models.directory import Establishment, Pupil, Representative


class ActivationCodeKind(models.TextChoices):
    REPRESENTATIVE = "car", _("Representative activation code (CAR)")
    PUPIL = "cae", _("Pupil activation code (CAE)")


class ActivationCode(models.Model):
    """One live code; deleted when used up (activation), expired, invalidated or regenerated.

    Attributes:
        account: the pre-created account the code opens.
        pupil: the pupil whose birth date goes with the code (the child of the pair, or the
            pupil himself for a CAE).
        representative: the representative of the pair (CAR only).
        establishment: the school of the pair when the code was issued.
        lookup: the first characters of the code, in clear, to find it.
        secret_hash: Django password hash of the rest of the code.
        expires_at: end of validity (``CAS_EDUCONNECT_ATEN_ACTIVATION_CODE_VALIDITY``).
    """

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="activation_codes", help_text=_("Account the code opens.")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="activation_codes", help_text=_("Pupil of the code.")
    )
    representative = models.ForeignKey(
        Representative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activation_codes",
        help_text=_("Representative of the pair (CAR)."),
    )
    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="activation_codes", help_text=_("School of the pair.")
    )
    kind = models.CharField(_("kind"), max_length=3, choices=ActivationCodeKind.choices, help_text=_("CAR or CAE."))
    lookup = models.CharField(
        _("lookup part"), max_length=16, unique=True, help_text=_("First characters of the code, to find it.")
    )
    secret_hash = models.CharField(
        _("secret hash"), max_length=255, help_text=_("Password hash of the rest of the code.")
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True, help_text=_("Issue date."))
    expires_at = models.DateTimeField(_("expires at"), db_index=True, help_text=_("End of validity."))

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.lookup}-…"

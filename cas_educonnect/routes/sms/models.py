"""Storage of the SMS app: sent messages (statistics) and code challenges.

Phone numbers are kept as a keyed hash (``phone.hash_number``) plus a masked form, never
in clear. Challenges are updated under ``select_for_update`` inside ``transaction.atomic``;
the counters (requests per number and IP, attempts) live in the shared limiter.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class SentSms(models.Model):
    """One send attempt to the gateway, successful or not: for statistics and cost control.

    Attributes:
        status: ``sent`` when the gateway accepted it, ``failed`` otherwise.
        error_code: the gateway's error code on failure (Twilio ``21211``, ``timeout``...).
    """

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True, help_text=_("When it was sent."))
    purpose = models.CharField(_("purpose"), max_length=32, db_index=True, help_text=_("Why the code was sent."))
    number_hash = models.CharField(_("number hash"), max_length=64, db_index=True, help_text=_("Keyed hash."))
    number_masked = models.CharField(_("number"), max_length=32, help_text=_("Masked number."))
    backend = models.CharField(_("backend"), max_length=200, help_text=_("Dotted path of the gateway."))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, help_text=_("Gateway result."))
    provider_id = models.CharField(_("gateway id"), max_length=64, blank=True, help_text=_("E.g. Twilio SM..."))
    provider_status = models.CharField(_("gateway status"), max_length=32, blank=True, help_text=_("E.g. queued."))
    error_code = models.CharField(_("error code"), max_length=32, blank=True, help_text=_("Gateway error code."))

    class Meta:
        app_label = "educonnect_sms"
        verbose_name = _("SMS sent")
        verbose_name_plural = _("SMS messages sent")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.purpose} {self.number_masked} {self.status}"


class CodeChallenge(models.Model):
    """A one-time code sent (or pretended sent) to a number, and what it proves once verified.

    Attributes:
        public_id: the handle kept in the user's session; never the code.
        subject_ids: ids of the directory records the code would prove (empty: unknown
            number, nothing was sent and no code can ever match).
        code_hash: HMAC of the current code, salted with ``public_id``; empty when nothing was sent.
        verified_at: set by the one successful verification; a replay is refused.
        consumed_at: set when the flow that asked for the code has used its proof.

    Wrong codes and wrong birth dates are counted by the limiter (``counters.py``), keyed by
    ``public_id``: at the maximum of wrong codes the challenge is dead.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, help_text=_("Session handle."))
    purpose = models.CharField(_("purpose"), max_length=32, help_text=_("Flow that asked for the code."))
    number_hash = models.CharField(_("number hash"), max_length=64, db_index=True, help_text=_("Keyed hash."))
    number_masked = models.CharField(_("number"), max_length=32, help_text=_("Masked number."))
    subject_ids = models.JSONField(_("subjects"), default=list, blank=True, help_text=_("Records it would prove."))
    code_hash = models.CharField(_("code hash"), max_length=128, blank=True, help_text=_("HMAC of the code."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True, help_text=_("Creation."))
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True, help_text=_("Last SMS (cooldown)."))
    expires_at = models.DateTimeField(_("expires"), help_text=_("End of validity of the current code."))
    send_count = models.PositiveSmallIntegerField(_("SMS sent"), default=0, help_text=_("SMS of this challenge."))
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True, help_text=_("Code verified."))
    consumed_at = models.DateTimeField(_("consumed"), null=True, blank=True, help_text=_("Proof used."))

    class Meta:
        app_label = "educonnect_sms"
        verbose_name = _("code challenge")
        verbose_name_plural = _("code challenges")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.purpose} {self.number_masked} {self.created_at:%Y-%m-%d %H:%M}"

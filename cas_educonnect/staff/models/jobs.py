"""Mass notification jobs: what was asked, how far it went, who could not be notified."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models import Establishment
from cas_educonnect.models.accounts import NotificationMode


class NotificationAudience(models.TextChoices):
    REPRESENTATIVES = "representatives", _("Legal representatives")
    PUPILS = "pupils", _("Pupils")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class NotificationJob(models.Model):
    """One mass notification, run by a background task.

    No credential is stored here: letters are rendered from the accounts at download time
    and streamed, so no file with passwords is ever written.

    Attributes:
        account_ids: the accounts selected, in order.
        paper: ``{division id or "none": [account ids]}`` of accounts to print, filled by the task.
        failures: ``[{"identifier", "name", "reason"}]`` of who could not be notified.
        processed: progress counter, out of ``len(account_ids)``.
    """

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.CASCADE,
        related_name="notification_jobs",
        verbose_name=_("school"),
        help_text=_("School."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("Who."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("Creation."))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, help_text=_("End of the task."))
    audience = models.CharField(
        _("audience"), max_length=16, choices=NotificationAudience.choices, help_text=_("Who is notified.")
    )
    mode = models.CharField(
        _("mode"), max_length=8, choices=NotificationMode.choices, help_text=_("Email, paper or both.")
    )
    reset_active = models.BooleanField(
        _("reset passwords of used accounts"), default=False, help_text=_("Pupils only.")
    )
    account_ids = models.JSONField(_("accounts"), default=list, help_text=_("Selected accounts."))
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING, help_text=_("Progress.")
    )
    processed = models.PositiveIntegerField(_("processed"), default=0, help_text=_("Accounts handled so far."))
    paper = models.JSONField(_("letters"), default=dict, blank=True, help_text=_("Accounts to print per division."))
    failures = models.JSONField(_("not notified"), default=list, blank=True, help_text=_("Who and why."))
    task_id = models.CharField(_("task id"), max_length=64, blank=True, help_text=_("Background task result id."))
    error = models.CharField(_("error"), max_length=500, blank=True, help_text=_("Why the task failed."))

    class Meta:
        verbose_name = _("notification job")
        verbose_name_plural = _("notification jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.establishment.uai} {self.get_audience_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> int:
        return len(self.account_ids)

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.processed / self.total)

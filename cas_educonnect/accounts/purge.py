"""The purge run from cron (``manage.py educonnect_purge``): delays are settings.

* notified or in activation for more than ``CAS_EDUCONNECT_PURGE_NOT_ACTIVATED_DAYS`` days
  after the last notification: back to *not notified*, credentials destroyed;
* in use but unused for ``CAS_EDUCONNECT_PURGE_UNUSED_DAYS`` days (last login, else the
  activation date): deleted. The identifier stays reserved (``UsedIdentifier``) and the
  next import pre-creates a fresh account with a new identifier;
* ATEN activation codes past ``CAS_EDUCONNECT_ATEN_ACTIVATION_CODE_VALIDITY``: deleted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cas_educonnect.accounts import codes, lifecycle
from cas_educonnect.conf import settings
from cas_educonnect.models import Account, AccountState


@dataclass
class PurgeReport:
    """Identifiers reset to *not notified* and identifiers deleted (or that would be)."""

    reset: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    codes_deleted: int = 0


def expired_notifications(now: datetime.datetime):
    limit = now - datetime.timedelta(days=settings.CAS_EDUCONNECT_PURGE_NOT_ACTIVATED_DAYS)
    return Account.objects.filter(
        state__in=[AccountState.NOTIFIED, AccountState.ACTIVATING], notified_at__lt=limit
    ).order_by("identifier")


def unused_accounts(now: datetime.datetime):
    limit = now - datetime.timedelta(days=settings.CAS_EDUCONNECT_PURGE_UNUSED_DAYS)
    unused = Q(last_used_at__lt=limit) | Q(last_used_at__isnull=True, activated_at__lt=limit)
    return Account.objects.filter(unused, state=AccountState.ACTIVE).order_by("identifier")


def purge_accounts(*, dry_run: bool = False, now: datetime.datetime | None = None) -> PurgeReport:
    """Apply (or only list, with ``dry_run``) both purges; running it twice does nothing more."""
    now = now or timezone.now()
    report = PurgeReport()
    with transaction.atomic():
        report.codes_deleted = codes.purge_expired(now=now, dry_run=dry_run)
        for account in expired_notifications(now):
            report.reset.append(account.identifier)
            if not dry_run:
                lifecycle.purge(account, now=now)
        doomed = list(unused_accounts(now).only("pk", "identifier", "user_id"))
        report.deleted = [account.identifier for account in doomed]
        if not dry_run and doomed:
            user_ids = [a.user_id for a in doomed if a.user_id]
            Account.objects.filter(pk__in=[a.pk for a in doomed]).delete()
            # Users created for these accounts only (never staff) go with them.
            get_user_model()._default_manager.filter(pk__in=user_ids, is_staff=False, is_superuser=False).delete()
    return report

"""What the ATEN route does to an account: activation, email validation, new password.

Every change goes through here, inside the caller's transaction, so the views stay free
of field bookkeeping. Functions take an account locked with ``select_for_update()``.
"""

from __future__ import annotations

import logging

from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from ...models import Account, AccountKind, AccountState, Pupil
from ...models.directory import LegalStatus

logger = logging.getLogger(__name__)


def children_of(account: Account) -> list[Pupil]:
    """The pupils an account covers: its own pupils, and the open legal links of its persons."""
    if account.kind == AccountKind.PUPIL:
        return list(account.pupils.order_by("pk"))
    linked = Q(
        links__representative__in=account.representatives.all(),
        links__closed_at__isnull=True,
        links__legal=LegalStatus.LEGAL,
    )
    return list(Pupil.objects.filter(Q(pk__in=account.pupils.all()) | linked).distinct().order_by("pk"))


def lock(account: Account) -> Account:
    """The account re-read under a row lock (call inside ``transaction.atomic()``)."""
    return Account.objects.select_for_update().get(pk=account.pk)


def _set_chosen_password(account: Account, raw_password: str) -> None:
    account.password = make_password(raw_password)
    account.provisional_password = ""


def activate(account: Account, raw_password: str, email: str) -> Account:
    """First login done: chosen password set, provisional one wiped.

    A pupil is *Utilisé* at once (``email`` optional, usable once validated); a
    representative is *En cours d'activation* until the link sent to ``email`` is used.
    """
    now = timezone.now()
    _set_chosen_password(account, raw_password)
    account.email = email
    account.email_validated = False
    account.pending_email = ""
    account.activation_started_at = now
    account.state_changed_at = now
    if account.kind == AccountKind.REPRESENTATIVE:
        account.state = AccountState.ACTIVATING
    else:
        account.state = AccountState.ACTIVE
        account.activated_at = now
    account.save()
    logger.info("Account %s activated by first login (state %s)", account.identifier, account.state)
    return account


def confirm_email(account: Account) -> Account:
    """The link sent to the account's (pending) address was used.

    A pending change replaces the address; a representative in activation becomes *Utilisé*.
    """
    if account.pending_email:
        account.email = account.pending_email
        account.pending_email = ""
    now = timezone.now()
    account.email_validated = True
    account.email_validated_at = now
    if account.state == AccountState.ACTIVATING:
        account.state = AccountState.ACTIVE
        account.activated_at = account.state_changed_at = now
    account.save()
    logger.info("Email of account %s validated (state %s)", account.identifier, account.state)
    return account


def request_email_change(account: Account, new_email: str) -> Account:
    """Keep the current address until ``new_email`` is confirmed by its link."""
    account.pending_email = new_email
    account.save(update_fields=["pending_email", "updated_at"])
    return account


def set_password(account: Account, raw_password: str) -> Account:
    """A new chosen password (account page or reset link); kills pending reset links."""
    _set_chosen_password(account, raw_password)
    account.save(update_fields=["password", "provisional_password", "updated_at"])
    logger.info("Password of account %s changed", account.identifier)
    return account


def close_grouped(account: Account) -> Account:
    """Close an account absorbed by grouping; its identifier is never handed out again."""
    account.state = AccountState.CLOSED
    account.closed_at = account.state_changed_at = timezone.now()
    account.password = ""
    account.provisional_password = ""
    account.save()
    return account

"""What the ATEN route does to an account: activation, email validation, new password.

State changes are delegated to the core state machine (``cas_educonnect.accounts.lifecycle``);
the rest (chosen password, pending address) is plain field bookkeeping kept here so the
views stay free of it. Call inside ``transaction.atomic()``.
"""

from __future__ import annotations

import logging

from django.contrib.auth.hashers import make_password
from django.db.models import Q

from cas_educonnect.accounts import lifecycle as core
from cas_educonnect.models import Account, AccountKind, Pupil
from cas_educonnect.models.directory import LegalStatus

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
    """First login done: chosen password set, provisional one wiped (core state machine).

    A pupil is *Utilisé* at once (``email`` optional, pending until validated); a
    representative is *En cours d'activation* until the link sent to ``email`` is used.
    """
    if account.kind == AccountKind.REPRESENTATIVE:
        core.start_activation(account, raw_password, email)
    else:
        core.activate(account, raw_password, email)
    logger.info("Account %s activated by first login (state %s)", account.identifier, account.state)
    return account


def confirm_email(account: Account) -> Account:
    """The link sent to the pending address was used: it becomes the account's address.

    A representative in activation becomes *Utilisé*.
    """
    core.validate_email(account)
    logger.info("Email of account %s validated (state %s)", account.identifier, account.state)
    return account


def request_email_change(account: Account, new_email: str) -> Account:
    """Keep the current address until ``new_email`` is confirmed by its link (not a state change)."""
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
    return core.close(account)

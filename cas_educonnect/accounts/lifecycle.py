"""The account state machine (DOMAIN §2): every state change goes through one function here.

::

    not_notified --notify--> notified --start_activation--> activating --validate_email--> active
         ^                      |  (pupil, SMS, FranceConnect)  --activate-->               |
         |                      +------------------------------------------------------->---+
         +----- purge (not activated in time) ----- notified / activating
    any open state --close--> closed

*active* (Utilisé) always means "can log in", but not always with a password: the
FranceConnect first link activates a representative who chose none (``activate(...,
franceconnect_only=True)``). His account holds Django's unusable password (``!...``,
:meth:`Account.has_usable_password` is False): only FranceConnect logs him in, until he
chooses a password (account page, or SMS registration). While it has none, its owner
cannot unlink FranceConnect: that would leave an active account nobody can log into.

Each function locks the row, checks the state it starts from, records the date of the
transition and returns the account. A refused account cannot be notified nor activated.
Callers (import, staff admin, login routes) never write ``Account.state`` themselves.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cas_educonnect.accounts.passwords import (
    decrypt_provisional_password,
    encrypt_provisional_password,
    generate_provisional_password,
)
from cas_educonnect.models import Account, AccountKind, AccountState, ActivationCode, NotificationMode

S = AccountState
OPEN_STATES = (S.NOT_NOTIFIED, S.NOTIFIED, S.ACTIVATING, S.ACTIVE)


class TransitionError(Exception):
    """The account is not in a state this transition starts from (message in English)."""


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _apply(account: Account, allowed: Iterable[str], to: str | None, now: datetime.datetime, **changes) -> Account:
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        if locked.state not in allowed:
            raise TransitionError(f"account {locked.identifier} is {locked.state}: expected one of {sorted(allowed)}")
        if to is not None and to != locked.state:
            changes.update(state=to, state_changed_at=now)
        for name, value in changes.items():
            setattr(locked, name, value)
            setattr(account, name, value)
        locked.save(update_fields=[*changes, "updated_at"])
    return account


def _drop_codes(account: Account) -> Account:
    """The account's ATEN activation codes go with its provisional password (used up or void)."""
    ActivationCode.objects.filter(account=account).delete()
    return account


def notify(
    account: Account, mode: str = NotificationMode.PAPER, *, reset_password: bool = False, now=None
) -> str | None:
    """Record a notification; return the provisional password to print or send, or None.

    An active account is only reminded of its identifier (None is returned; its chosen
    password is never shown) unless ``reset_password`` (staff option for pupils), which
    puts it back to *notified* with a new provisional password. A *notified* account keeps
    the provisional password of its previous notification, so a reminder leaves the letters
    already sent valid (004 §3.1 point 6), unless ``reset_password`` (per-account « Renotifier
    et réinitialiser le mot de passe »). Re-notifying an account in activation issues a new
    provisional password and restarts the activation.
    """
    now = _now(now)
    if account.refused:
        raise TransitionError(f"account {account.identifier} is refused")
    if account.state == S.ACTIVE and not reset_password:
        _apply(account, [S.ACTIVE], None, now, notified_at=now, notification_mode=mode)
        return None
    if account.state == S.NOTIFIED and not reset_password:
        with transaction.atomic():
            locked = Account.objects.select_for_update().get(pk=account.pk)
            kept = decrypt_provisional_password(locked.provisional_password) if locked.state == S.NOTIFIED else None
            if kept is not None:
                _apply(account, [S.NOTIFIED], None, now, notified_at=now, notification_mode=mode)
                return kept
    clear = generate_provisional_password()
    _apply(
        account,
        OPEN_STATES,
        S.NOTIFIED,
        now,
        provisional_password=encrypt_provisional_password(clear),
        password="",
        pending_email="" if account.state != S.ACTIVE else account.pending_email,
        notified_at=now,
        notification_mode=mode,
        activation_started_at=None,
    )
    return clear


def start_activation(account: Account, password: str, email: str, *, now=None) -> Account:
    """A representative's first login: chosen password set, email waiting for its link."""
    now = _now(now)
    if account.refused:
        raise TransitionError(f"account {account.identifier} is refused")
    _apply(
        account,
        [S.NOTIFIED],
        S.ACTIVATING,
        now,
        password=make_password(password),
        provisional_password="",
        pending_email=email,
        activation_started_at=now,
    )
    return _drop_codes(account)


def activate(
    account: Account,
    password: str | None = None,
    email: str = "",
    *,
    franceconnect_only: bool = False,
    now=None,
) -> Account:
    """The account becomes *in use*: pupil's first login, or an SMS / FranceConnect route.

    ``password`` is the chosen password (None keeps the one set at activation start);
    ``email``, if given, waits for its validation link. Without any password the account
    must be ``franceconnect_only`` (FranceConnect first link): it then gets the unusable
    password and only FranceConnect logs it in; otherwise TransitionError.
    """
    now = _now(now)
    if account.refused:
        raise TransitionError(f"account {account.identifier} is refused")
    changes = {"provisional_password": "", "activated_at": now, "last_used_at": now}
    if password is not None:
        changes["password"] = make_password(password)
    elif franceconnect_only and not account.password:
        changes["password"] = make_password(None)
    elif not account.password:
        raise TransitionError(f"account {account.identifier} has no chosen password")
    if email:
        changes["pending_email"] = email
    _apply(account, [S.NOT_NOTIFIED, S.NOTIFIED, S.ACTIVATING], S.ACTIVE, now, **changes)
    return _drop_codes(account)


def validate_email(account: Account, *, now=None) -> Account:
    """The validation link was used: the pending address becomes the account's address.

    For a representative in activation this is the last step: the account is then in use.
    """
    now = _now(now)
    if not account.pending_email:
        raise TransitionError(f"account {account.identifier} has no pending email")
    changes = {"email": account.pending_email, "pending_email": "", "email_validated": True, "email_validated_at": now}
    if account.state == S.ACTIVATING:
        changes.update(activated_at=now, last_used_at=now)
        return _apply(account, [S.ACTIVATING], S.ACTIVE, now, **changes)
    return _apply(account, [S.NOTIFIED, S.ACTIVE], None, now, **changes)


def record_use(account: Account, *, now=None) -> None:
    """A successful login: keeps the account away from the one-year purge (not a transition)."""
    now = _now(now)
    Account.objects.filter(pk=account.pk).update(last_used_at=now)
    account.last_used_at = now


def close(account: Account, *, now=None) -> Account:
    """Close the account for good (replaced, or the school removed it); it cannot log in."""
    now = _now(now)
    _apply(account, OPEN_STATES, S.CLOSED, now, closed_at=now, provisional_password="", password="")
    return _drop_codes(account)


def purge(account: Account, *, now=None) -> Account:
    """Not activated in time: back to *not notified*, credentials destroyed (identifier kept)."""
    now = _now(now)
    _apply(
        account,
        [S.NOTIFIED, S.ACTIVATING],
        S.NOT_NOTIFIED,
        now,
        provisional_password="",
        password="",
        pending_email="",
        notified_at=None,
        notification_mode="",
        activation_started_at=None,
    )
    return _drop_codes(account)


def needs_email(account: Account) -> bool:
    """Representatives must give (and validate) an email at activation; pupils may."""
    return account.kind == AccountKind.REPRESENTATIVE

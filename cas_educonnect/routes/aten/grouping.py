"""Grouping: a representative absorbs another of his accounts, or the other parent's (joint account).

Under ATEN a representative got one account per child and per school [seed 002 §2.2.1].
Logged in, he proves he holds another account (its identifier and password); the current
account then covers the persons and children of both, and the other is closed for good
(its identifier stays reserved in ``UsedIdentifier`` and on the closed row).

Who may be grouped with whom:
- the same person (same folded first and last names on both accounts) → plain grouping;
- the other legal representative of a child the current account covers → joint account
  (two persons; the profile choice of the attributes applies at login);
- a pupil account, or an unrelated person → refused.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cas_educonnect.accounts import activation
from cas_educonnect.accounts.identifiers import fold
from cas_educonnect.models import Account, AccountKind, AccountState
from cas_educonnect.routes.aten.session import end_sso_sessions
from cas_educonnect.routes.aten.signals import accounts_grouped

logger = logging.getLogger(__name__)

SAME_PERSON = "same_person"
JOINT = "joint"


class GroupingRefused(Exception):
    """Grouping is not allowed; ``message`` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _names(account: Account) -> set[tuple[str, str]]:
    return {(fold(p.first_name), fold(p.last_name)) for p in account.representatives.all()}


def classify(current: Account, other: Account) -> str:
    """``SAME_PERSON`` or ``JOINT``; raises GroupingRefused otherwise."""
    if other.pk == current.pk:
        raise GroupingRefused(_("This is the account you are logged in with."))
    if current.kind != AccountKind.REPRESENTATIVE:
        raise GroupingRefused(_("Only a legal representative's account can group accounts."))
    if other.kind == AccountKind.PUPIL:
        raise GroupingRefused(_("A pupil's account cannot be grouped with a representative's account."))
    if other.kind != AccountKind.REPRESENTATIVE or other.state == AccountState.CLOSED or other.refused:
        raise GroupingRefused(_("This account cannot be grouped."))
    if _names(current) & _names(other):
        return SAME_PERSON
    shared = {p.pk for p in activation.children_of(current)} & {p.pk for p in activation.children_of(other)}
    if shared:
        return JOINT
    raise GroupingRefused(
        _("This account belongs to someone who is not a legal representative of your children: it cannot be grouped.")
    )


def group(current: Account, other: Account, request: HttpRequest | None = None) -> str:
    """Move the persons and children of ``other`` onto ``current`` and close ``other``.

    Returns the kind of grouping. Both rows are locked, so a double submit cannot group
    twice or group into an account closed meanwhile. Logged (``AUDIT grouping``) and
    announced with the ``accounts_grouped`` signal once committed.
    """
    with transaction.atomic():
        first, second = sorted([current.pk, other.pk])
        locked = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
        current, other = locked.get(current.pk), locked.get(other.pk)
        if current is None or other is None or current.state != AccountState.ACTIVE:
            raise GroupingRefused(_("This account cannot be grouped."))
        kind = classify(current, other)
        current.representatives.add(*other.representatives.all())
        current.pupils.add(*other.pupils.all())
        activation.close_grouped(other)
    logger.info(
        "AUDIT grouping: account %s absorbed account %s (%s); %s closed",
        current.identifier,
        other.identifier,
        kind,
        other.identifier,
    )
    end_sso_sessions(other.identifier)
    accounts_grouped.send(sender=Account, request=request, account=current, absorbed=other, kind=kind)
    return kind

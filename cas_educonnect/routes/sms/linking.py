"""Who a verified mobile number proves, and the one account it ends up with.

Shared by the SMS registration and the FranceConnect first link: find the representative
records behind a number, confirm the children's birth dates, then give the person one
account covering every child (siblings across schools), grouping his other accounts.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from cas_educonnect.accounts import lifecycle
from cas_educonnect.accounts.identifiers import allocate_identifier, fold
from cas_educonnect.models import Account, AccountKind, AccountState, Pupil, Representative, RepresentativeLink
from cas_educonnect.models.directory import LegalStatus
from cas_educonnect.routes.sms import counters
from cas_educonnect.routes.sms.models import CodeChallenge

logger = logging.getLogger(__name__)


def same_name(a: str, b: str) -> bool:
    """Names equal once case, accents, spaces, apostrophes and hyphens are ignored."""
    left, right = fold(a).replace("-", ""), fold(b).replace("-", "")
    return bool(left) and left == right


def find_representatives(
    number: str, first_name: str | None = None, last_name: str | None = None, with_current_child: bool = False
) -> list[Representative]:
    """Representative records (all schools) with this E.164 mobile, names matching if given,
    who have not refused the service and have an open legal link to a pupil.

    ``with_current_child``: none at all unless one of them is the legal representative of a
    pupil still at school (:func:`children_of` not empty), answered by the same single query
    (no second one for known numbers only: the SMS registration's response time must not vary).
    """
    current = RepresentativeLink.objects.filter(
        representative=OuterRef("pk"), legal=LegalStatus.LEGAL, closed_at__isnull=True, pupil__left_at__isnull=True
    )
    candidates = (
        Representative.objects.filter(mobile=number, services_refused=False)
        .filter(links__legal=LegalStatus.LEGAL, links__closed_at__isnull=True)
        .annotate(has_current_child=Exists(current))
        .distinct()
        .order_by("pk")
    )
    found = []
    for rep in candidates:
        if last_name is not None and not same_name(rep.last_name, last_name):
            continue
        if first_name is not None and not same_name(rep.first_name, first_name):
            continue
        found.append(rep)
    if with_current_child and not any(rep.has_current_child for rep in found):
        return []
    return found


def children_of(representative_ids: Iterable[int]) -> list[Pupil]:
    """Current pupils the representatives are legal representatives of, each once."""
    return list(
        Pupil.objects.filter(
            links__representative_id__in=list(representative_ids),
            links__legal=LegalStatus.LEGAL,
            links__closed_at__isnull=True,
            left_at__isnull=True,
        )
        .select_related("establishment")
        .distinct()
        .order_by("birth_date", "first_name", "pk")
    )


def check_birth_dates(
    challenge: CodeChallenge, pupils: Iterable[Pupil], answers: Mapping[int, datetime.date | None]
) -> tuple[bool, int]:
    """Whether every pupil's birth date is answered right; submissions are counted first.

    Returns ``(ok, remaining)``: wrong submissions left. The count is the challenge's
    ``sms_birth_date`` limit (``counters.py``), hit before the comparison so parallel posts
    cannot exceed ``CAS_EDUCONNECT_SMS_BIRTH_DATE_MAX_ATTEMPTS``; the right one is refunded.
    """
    challenge.refresh_from_db(fields=["verified_at", "consumed_at"])
    if not challenge.verified_at or challenge.consumed_at:
        return False, 0
    attempts = counters.birth_date_attempts(challenge.public_id)
    tried = attempts.hit()
    if not tried.allowed:
        return False, 0
    pupils = list(pupils)
    ok = bool(pupils) and all(p.birth_date and answers.get(p.pk) == p.birth_date for p in pupils)
    if ok:
        attempts.refund()
        return True, tried.remaining + 1
    return False, tried.remaining


def accounts_of(representative_ids: Iterable[int]):
    """Open representative accounts covering any of these records, oldest activated first."""
    return (
        Account.objects.filter(kind=AccountKind.REPRESENTATIVE, representatives__in=list(representative_ids))
        .exclude(state=AccountState.CLOSED)
        .distinct()
        .order_by("activated_at", "created_at", "pk")
    )


def returning_account(representative_ids: Iterable[int]) -> Account | None:
    """An activated account with a password, already covering every one of these records
    (nothing to register). A FranceConnect-only account is not one: the SMS registration
    lets its owner choose the password it lacks."""
    ids = set(representative_ids)
    accounts = accounts_of(ids).filter(state=AccountState.ACTIVE).exclude(password="")
    for account in accounts.exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX):
        if ids <= set(account.representatives.values_list("pk", flat=True)):
            return account
    return None


def target_identifier(representatives: list[Representative]) -> str:
    """The identifier the person will use: his oldest activated account's, else his oldest
    pre-created account's, else a new one (reserved now, so it can be displayed first)."""
    ids = {r.pk for r in representatives}
    # Only the person's own accounts: a joint account shared with someone else is not his to take.
    candidates = accounts_of(ids).prefetch_related("representatives")
    accounts = [a for a in candidates if {p.pk for p in a.representatives.all()} <= ids]
    activated = [a for a in accounts if a.activated_at]
    chosen = (activated or accounts or [None])[0]
    if chosen is not None:
        return chosen.identifier
    first = representatives[0]
    return allocate_identifier(first.first_name, first.last_name)


@dataclass
class Registration:
    """Outcome of :func:`register_account`."""

    account: Account
    created: bool
    closed: list[str] = field(default_factory=list)


def register_account(
    representatives: list[Representative], identifier: str, password: str | None = None
) -> Registration:
    """Make ``identifier``'s account cover all ``representatives`` (and so all their children),
    in use (Utilisé), with ``password`` if given; close the person's other accounts.

    Every state change goes through ``accounts.lifecycle``. Without a password an account
    not yet in use is activated *FranceConnect only* (see the life cycle: no password until
    its owner chooses one on his account page or by the SMS registration). Only accounts
    whose persons are all among ``representatives`` are grouped and closed; a joint account
    with someone else is left as it is. One transaction; raises ``lifecycle.TransitionError``
    if the account cannot be activated (refused).
    """
    ids = [r.pk for r in representatives]
    with transaction.atomic():
        account = Account.objects.select_for_update().filter(identifier=identifier).first()
        created = account is None
        if created:
            account = Account.objects.create(identifier=identifier, kind=AccountKind.REPRESENTATIVE)
        if account.refused:
            raise lifecycle.TransitionError(f"account {account.identifier} is refused")
        closed = []
        for other in accounts_of(ids).exclude(pk=account.pk).prefetch_related("representatives"):
            persons = {p.pk for p in other.representatives.all()}
            if not persons <= set(ids):
                logger.info("Account %s is shared with another person: not grouped", other.identifier)
                continue
            lifecycle.close(other)
            closed.append(other.identifier)
        account.representatives.add(*representatives)
        if account.state == AccountState.ACTIVE:
            if password is not None:  # a new password, proven by the SMS code and the birth dates
                account.password = make_password(password)
                Account.objects.filter(pk=account.pk).update(password=account.password)
        else:
            lifecycle.activate(account, password, franceconnect_only=password is None)
    if closed:
        logger.info("Accounts %s grouped into %s", ", ".join(closed), account.identifier)
    return Registration(account=account, created=created, closed=closed)


def representatives_by_ids(ids: Iterable[int]) -> list[Representative]:
    """The records of ``ids`` still eligible (not refused), in id order."""
    return list(Representative.objects.filter(Q(pk__in=list(ids)), services_refused=False).order_by("pk"))

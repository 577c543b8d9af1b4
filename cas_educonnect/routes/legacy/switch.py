"""The ATEN → EduConnect switch ("bascule") of a legacy pupil or parent account.

The person proved the legacy credentials (and then the birth dates, checked by the views);
:func:`switch_account` makes sure exactly one open EduConnect account covers the directory
person, carries the legacy identifier over to it (``Account.legacy_identifier``, released
as an attribute so services keep matching the person) and closes the legacy account.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cas_educonnect.accounts.identifiers import allocate_identifier
from cas_educonnect.models import Account, AccountKind, AccountState, Pupil
from cas_educonnect.routes.legacy.matching import Person, match_person
from cas_educonnect.routes.legacy.models import LegacyProfile

logger = logging.getLogger(__name__)

# Preference among several open accounts of the same person: the one already in use wins.
_STATE_ORDER = [AccountState.ACTIVE, AccountState.ACTIVATING, AccountState.NOTIFIED, AccountState.NOT_NOTIFIED]


class SwitchError(Exception):
    """The switch cannot happen (account closed meanwhile, no directory person...)."""


@dataclass
class SwitchResult:
    account: Account
    created: bool
    password_set: bool  # False: the person already used an EduConnect account, its password is kept


def existing_account(person: Person) -> Account | None:
    """The open pupil/representative account covering ``person``, the one in use first."""
    relation = {"pupils": person} if isinstance(person, Pupil) else {"representatives": person}
    accounts = list(
        Account.objects.filter(**relation)
        .exclude(kind=AccountKind.LEGACY)
        .exclude(state=AccountState.CLOSED)
        .order_by("created_at", "pk")
    )
    accounts.sort(key=lambda a: _STATE_ORDER.index(a.state) if a.state in _STATE_ORDER else len(_STATE_ORDER))
    return accounts[0] if accounts else None


def switch_account(legacy: Account, password: str | None) -> SwitchResult:
    """Switch ``legacy`` to EduConnect; ``password`` is the newly chosen one (validated by the caller).

    ``password`` may be None only when the person already uses an EduConnect account, whose
    password is then kept.
    """
    with transaction.atomic():
        legacy = Account.objects.select_for_update().get(pk=legacy.pk)
        if legacy.kind != AccountKind.LEGACY or legacy.state == AccountState.CLOSED:
            raise SwitchError(f"legacy account {legacy.identifier} is not open")
        profile = LegacyProfile.objects.select_for_update().get(account=legacy)
        person = match_person(profile, legacy.email)
        if person is None:
            raise SwitchError(f"legacy account {legacy.identifier} matches no directory person")
        now = timezone.now()
        target = existing_account(person)
        created = target is None
        password_set = True
        if password is None and not (
            target is not None and target.state in (AccountState.ACTIVE, AccountState.ACTIVATING) and target.password
        ):
            raise SwitchError(f"a new password is needed to switch {legacy.identifier}")
        if target is None:
            target = Account.objects.create(
                identifier=allocate_identifier(person.first_name, person.last_name),
                kind=AccountKind.PUPIL if isinstance(person, Pupil) else AccountKind.REPRESENTATIVE,
                state=AccountState.ACTIVE,
                password=make_password(password),
                email=legacy.email,
                activated_at=now,
            )
            (target.pupils if isinstance(person, Pupil) else target.representatives).add(person)
        else:
            target = Account.objects.select_for_update().get(pk=target.pk)
            if target.state in (AccountState.ACTIVE, AccountState.ACTIVATING) and target.password:
                # Already in use: its own password stays; the person logs in with it.
                password_set = False
            else:
                target.password = make_password(password)
                target.provisional_password = ""
                target.state = AccountState.ACTIVE
                target.activated_at = target.activated_at or now
                if not target.email and legacy.email:
                    target.email = legacy.email
        if target.legacy_identifier and target.legacy_identifier != legacy.legacy_identifier:
            logger.warning(
                "account %s keeps legacy identifier %s; %s is closed without transfer",
                target.identifier,
                target.legacy_identifier,
                legacy.legacy_identifier,
            )
        else:
            target.legacy_identifier = legacy.legacy_identifier or legacy.identifier
        target.save()
        legacy.state = AccountState.CLOSED
        legacy.closed_at = now
        legacy.save(update_fields=["state", "closed_at", "updated_at"])
        profile.switched_at = now
        profile.switched_to = target
        profile.save(update_fields=["switched_at", "switched_to", "updated_at"])
    logger.info(
        "legacy account %s switched to %s (%s)", legacy.identifier, target.identifier, "new" if created else "existing"
    )
    return SwitchResult(account=target, created=created, password_set=password_set)

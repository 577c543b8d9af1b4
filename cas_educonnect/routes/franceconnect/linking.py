"""Which account a FranceConnect ``sub`` logs into, and linking / unlinking it.

Linking is only ever done by :func:`link` at the end of the first-link flow (SMS code to the
mobile known to the school, then the children's birth dates): never on the email alone.
Staff (admin) and the owner unlink with :func:`unlink`.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest

from cas_educonnect.accounts.lifecycle import record_use
from cas_educonnect.models import Account, AccountKind, AccountState, Representative
from cas_educonnect.routes.franceconnect.base import Identity
from cas_educonnect.routes.franceconnect.models import FranceConnectLink

logger = logging.getLogger(__name__)

SESSION_KEY = "educonnect_fc"


def find_linked_account(sub: str) -> Account | None:
    """The open representative account linked to ``sub``, or None."""
    link = FranceConnectLink.objects.select_related("account").filter(sub=sub).first()
    if link is None:
        return None
    account = link.account
    if account.state == AccountState.CLOSED or account.refused or account.kind != AccountKind.REPRESENTATIVE:
        logger.info("FranceConnect sub linked to unusable account %s", account.identifier)
        return None
    return account


def store_login(request: HttpRequest, identity: Identity) -> None:
    """Remember in the session that it is a FranceConnect one (id_token kept for the logout)."""
    request.session[SESSION_KEY] = {"sub": identity.sub, "id_token": identity.id_token}


def _fold(value: str) -> str:
    """Upper case without accents, hyphens or extra spaces, for name comparison."""
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).upper().replace("-", " ").replace("'", " ")
    return " ".join(text.split())


def names_match_people(identity: Identity, people: Iterable[Representative]) -> bool:
    """True when FranceConnect's birth name and one of its first names match one of ``people``."""
    given = set(_fold(identity.given_name).split())
    family = _fold(identity.family_name)
    for person in people:
        if _fold(person.last_name) == family and (not person.first_name or _fold(person.first_name) in given):
            return True
    return False


@transaction.atomic
def link(account: Account, identity: Identity) -> FranceConnectLink:
    """Link ``identity.sub`` to the representative ``account``, which is already in use.

    The first-link flow makes the account active (SMS machinery's ``register_account``,
    through the account life cycle) before calling this; linking never changes the state.
    Raises ``ValueError`` for a non-representative or not active account, or a ``sub``
    linked to another open account.
    """
    if account.kind != AccountKind.REPRESENTATIVE:
        raise ValueError("FranceConnect links representative accounts only")
    if account.state != AccountState.ACTIVE or account.refused:
        raise ValueError(f"account {account.identifier} is not in use")
    existing = FranceConnectLink.objects.select_for_update().select_related("account").filter(sub=identity.sub).first()
    # A link left on an account closed since (grouped into this one) moves; an open one is kept.
    if existing is not None and existing.account_id != account.pk and existing.account.state != AccountState.CLOSED:
        raise ValueError("this FranceConnect identity is linked to another account")
    fc_link, _created = FranceConnectLink.objects.update_or_create(
        sub=identity.sub,
        defaults={
            "account": account,
            "given_name": identity.given_name[:255],
            "family_name": identity.family_name[:255],
            "birthdate": identity.birthdate[:10],
        },
    )
    record_use(account)
    logger.info("FranceConnect identity linked to %s", account.identifier)
    return fc_link


def unlink(account: Account, by: str = "owner") -> int:
    """Remove every FranceConnect link of ``account``; returns how many were removed.

    For the owner's account page and for staff (``by="staff:<username>"``, e.g. from an admin
    action): the next FranceConnect login goes through the first-link flow again. The owner's
    page refuses it for an account without a password (FranceConnect only); staff may do it,
    and the owner then chooses a password through the SMS registration.
    """
    count, _detail = FranceConnectLink.objects.filter(account=account).delete()
    logger.info("FranceConnect unlinked from %s by %s (%d link(s))", account.identifier, by, count)
    return count

"""Notifying accounts: provisional passwords, states and dates, emails, letters to print.

State changes go through ``cas_educonnect.accounts.lifecycle.notify``: a not-yet-activated
account gets a new provisional password; an activated account a reminder of its identifier
only, unless a reset is asked (per-account support, or the pupils' mass-notification option).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from cas_educonnect.accounts import codes, lifecycle
from cas_educonnect.accounts.passwords import decrypt_provisional_password
from cas_educonnect.models import Account, AccountKind, AccountState, Pupil, Representative
from cas_educonnect.models.accounts import NotificationMode
from cas_educonnect.staff.letters import Letter, LetterModel, activation_code_text

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What happened to one account: notified or not, and why not."""

    notified: bool
    reasons: list[str]


def refused_for_himself(account: Account) -> bool:
    """The account was made unusable, or every person it covers refused the service (002 §1.2)."""
    people = list(account.representatives.all())
    return account.refused or (bool(people) and all(r.services_refused for r in people))


def email_address(account: Account, representative: Representative | None) -> str:
    """The validated address of the account, else the one given to the school."""
    if account.email and account.email_validated:
        return account.email
    return (representative.email if representative else "") or account.email


def recipient_lines(account: Account, representative: Representative | None, pupil: Pupil | None) -> list[str]:
    if account.kind == AccountKind.PUPIL or representative is None:
        return [str(pupil or account.identifier)]
    lines = [f"{representative.title} {representative.last_name} {representative.first_name}".strip()]
    lines += [representative.address, f"{representative.postal_code} {representative.city}".strip()]
    if representative.country and representative.country.upper() != "FRANCE":
        lines.append(representative.country)
    return [line for line in lines if line]


def build_letter(account: Account, pupil: Pupil | None, password: str | None) -> Letter:
    representative = account.representatives.first() if account.kind == AccountKind.REPRESENTATIVE else None
    return Letter(
        kind="pupil" if account.kind == AccountKind.PUPIL else "representative",
        recipient=recipient_lines(account, representative, pupil),
        pupil=f"{pupil.first_name} {pupil.last_name}".strip() if pupil else "",
        division=str(pupil.division) if pupil and pupil.division_id else "",
        identifier=account.identifier,
        password=password,
        holder=f"{representative.title} {representative.last_name} {representative.first_name}".strip()
        if representative
        else "",
        activation_code=codes.issue(account, pupil) if password else None,
    )


def send_email(model: LetterModel, letter: Letter, address: str, connection=None) -> None:
    body = model.body(letter)
    if letter.activation_code:
        body += "\n\n" + activation_code_text(letter)
    mail.send_mail(
        _("Access to the online services of %(school)s") % {"school": model.establishment.name},
        f"{body}\n\n{model.cnil}",
        None,
        [address],
        connection=connection,
    )


def notify_account(
    account: Account,
    pupil: Pupil | None,
    mode: str,
    model: LetterModel,
    reset: bool = False,
    connection=None,
    address: str = "",
) -> Outcome:
    """Notify one account by ``mode`` (``address``: a corrected email to use)."""
    reasons: list[str] = []
    representative = account.representatives.first() if account.kind == AccountKind.REPRESENTATIVE else None
    if account.kind == AccountKind.REPRESENTATIVE and refused_for_himself(account):
        return Outcome(False, [_("the representative refused the online services for himself")])
    wants_email = mode in (NotificationMode.EMAIL, NotificationMode.BOTH) and account.kind != AccountKind.PUPIL
    wants_paper = mode in (NotificationMode.PAPER, NotificationMode.BOTH) or account.kind == AccountKind.PUPIL
    address = (address or email_address(account, representative)) if wants_email else ""
    email_ok = False
    if wants_email:
        if not address:
            reasons.append(_("no email address"))
        else:
            try:
                validate_email(address)
                email_ok = True
            except ValidationError:
                reasons.append(_("invalid email address: %(address)s") % {"address": address})
    if wants_paper and representative is not None and not (representative.address and representative.city):
        reasons.append(_("no postal address: letter printed without address"))
    if not (email_ok or wants_paper):
        return Outcome(False, reasons)
    try:
        with transaction.atomic():
            done_mode = mode if account.kind != AccountKind.PUPIL else NotificationMode.PAPER
            if wants_email and not email_ok:
                done_mode = NotificationMode.PAPER
            password = lifecycle.notify(account, done_mode, reset_password=reset)
            if email_ok:
                # Inside the transaction: if the mail server refuses, nothing changes.
                send_email(model, build_letter(account, pupil, password), address, connection)
    except lifecycle.TransitionError as exc:
        logger.info("account %s not notified: %s", account.identifier, exc)
        return Outcome(False, reasons + [_("the account cannot be notified in its state (refused or closed)")])
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("notification email to account %s failed: %s", account.identifier, exc)
        return Outcome(False, reasons + [_("the email could not be sent")])
    return Outcome(True, reasons)


def printable(pairs: Sequence[tuple[int, int | None]]) -> list[Letter]:
    """Letters for (account id, pupil id) pairs, from the accounts' current state."""
    accounts = {
        a.pk: a for a in Account.objects.filter(pk__in=[a for a, _p in pairs]).prefetch_related("representatives")
    }
    pupils = {p.pk: p for p in Pupil.objects.filter(pk__in=[p for _a, p in pairs if p]).select_related("division")}
    letters = []
    for account_id, pupil_id in pairs:
        account = accounts.get(account_id)
        if account is None or account.state == AccountState.CLOSED:
            continue
        password = (
            None if account.state == AccountState.ACTIVE else decrypt_provisional_password(account.provisional_password)
        )
        letters.append(build_letter(account, pupils.get(pupil_id), password))
    return letters

"""Demo step: a notified pupil and representative to walk the ATEN first-login activation.

Their "letters" (identifier + provisional password) are printed by ``educonnect_demo``; the
mother gets an ATEN activation code (CAR) as well, when the demo academy distributes them.
Each run leaves both accounts *notified* with the same provisional password, and puts an
account someone activated meanwhile back to *notified* (a new provisional password), so the
walk can be replayed after every ``make demo``. Emails print on the console backend.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone

from cas_educonnect.accounts import codes, lifecycle
from cas_educonnect.accounts.identifiers import allocate_identifier
from cas_educonnect.accounts.passwords import decrypt_provisional_password
from cas_educonnect.conf import settings
from cas_educonnect.demo import DemoContext
from cas_educonnect.models import (
    Account,
    AccountKind,
    AccountState,
    ActivationCode,
    ActivationCodeKind,
    Establishment,
    NotificationMode,
    Pupil,
    Representative,
    RepresentativeLink,
)

PUPIL_BIRTH_DATE = datetime.date(2011, 5, 17)
#: The demo mother's CAR, fixed so the printed summary stays the same from run to run.
DEMO_CAR = "DEMA-CARP-HDUP-NTZ7"


def _letter(account: Account) -> str:
    """The provisional password of a notified account, notifying it (again) if needed."""
    if account.state == AccountState.NOTIFIED and account.provisional_password:
        clear = decrypt_provisional_password(account.provisional_password)
        if clear:
            return clear
    return lifecycle.notify(account, NotificationMode.PAPER, reset_password=True) or ""


def _account(kind: str, person: Pupil | Representative) -> Account:
    """The open account of ``person``, created (not notified) if there is none."""
    account = person.accounts.exclude(state=AccountState.CLOSED).first()
    if account is None:
        account = Account.objects.create(identifier=allocate_identifier(person.first_name, person.last_name), kind=kind)
        if kind == AccountKind.PUPIL:
            account.pupils.add(person)
        else:
            account.representatives.add(person)
    return account


def _car(account: Account, pupil: Pupil, parent: Representative) -> str | None:
    """The demo CAR of (``parent``, ``pupil``), (re)created unless still valid; None if codes are off."""
    if not codes.codes_enabled(pupil.establishment) or account.state != AccountState.NOTIFIED:
        return None
    plain = codes.normalize(DEMO_CAR)
    lookup, secret = plain[: codes.LOOKUP_LENGTH], plain[codes.LOOKUP_LENGTH :]
    row = ActivationCode.objects.filter(lookup=lookup).first()
    if (
        row
        and row.account_id == account.pk
        and row.expires_at > timezone.now()
        and check_password(secret, row.secret_hash)
    ):
        return DEMO_CAR
    ActivationCode.objects.filter(lookup=lookup).delete()
    validity = datetime.timedelta(seconds=settings.CAS_EDUCONNECT_ATEN_ACTIVATION_CODE_VALIDITY)
    ActivationCode.objects.create(
        account=account,
        pupil=pupil,
        representative=parent,
        establishment=pupil.establishment,
        kind=ActivationCodeKind.REPRESENTATIVE,
        lookup=lookup,
        secret_hash=make_password(secret),
        expires_at=timezone.now() + validity,
    )
    return DEMO_CAR


def _mother_with_a_car(context: DemoContext, pupil: Pupil, birth: str) -> None:
    mother, _ = Representative.objects.get_or_create(
        jointure="DEMO-ATEN-RES2",
        defaults={"title": "Mme", "last_name": "Dupont", "first_name": "Claire", "email": "claire.dupont@example.org"},
    )
    RepresentativeLink.objects.get_or_create(representative=mother, pupil=pupil, defaults={"link_code": "10"})
    account = _account(AccountKind.REPRESENTATIVE, mother)
    clear = _letter(account)
    code = _car(account, pupil, mother)
    if code is None:
        return
    persona = f"Représentante légale avec un code d'activation CAR {code} (naissance d'Arthur : {birth})"
    context.add_account(account.identifier, clear, AccountState.NOTIFIED.value, persona, route="aten", car=code)
    context.notes.append(
        f"ATEN activation code (CAR): 'Élèves ou parents', then « J'ai reçu un code d'activation »: code {code} "
        f"and Arthur's birth date ({birth}); then choose a password and an email, as with a letter."
    )


def run(context: DemoContext) -> None:
    school, _ = Establishment.objects.get_or_create(
        uai="0759997A",
        defaults={"jointure": "DEMO-ATEN-STR", "name": "Collège Jean Moulin (démo ATEN)", "academy_code": "DEMO"},
    )
    pupil, _ = Pupil.objects.update_or_create(
        jointure="DEMO-ATEN-ELV",
        defaults={
            "struct_id": "9043001",
            "last_name": "Dupont",
            "first_name": "Arthur",
            "birth_date": PUPIL_BIRTH_DATE,
            "establishment": school,
            "ine": "0000000043G",
        },
    )
    parent, _ = Representative.objects.get_or_create(
        jointure="DEMO-ATEN-RES",
        defaults={
            "title": "M.",
            "last_name": "Dupont",
            "first_name": "Philippe",
            "email": "philippe.dupont@example.org",
        },
    )
    RepresentativeLink.objects.get_or_create(representative=parent, pupil=pupil, defaults={"link_code": "20"})
    birth = f"{PUPIL_BIRTH_DATE:%d/%m/%Y}"
    for kind, person, persona in (
        (AccountKind.PUPIL, pupil, f"Élève, première connexion ATEN (sa date de naissance : {birth})"),
        (
            AccountKind.REPRESENTATIVE,
            parent,
            f"Représentant légal, première connexion ATEN (naissance d'Arthur : {birth})",
        ),
    ):
        account = _account(kind, person)
        clear = _letter(account)
        context.add_account(account.identifier, clear, AccountState.NOTIFIED.value, persona, route="aten")
    _mother_with_a_car(context, pupil, birth)
    context.notes.append(
        "ATEN first login: 'Élèves ou parents', then an identifier and provisional password above; "
        f"the birth date asked is Arthur's ({birth}). The representative's validation link is printed "
        "on the server console (console email backend): open it to finish the activation."
    )

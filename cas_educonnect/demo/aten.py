"""Demo step: a notified pupil and representative to walk the ATEN first-login activation.

Their "letters" (identifier + provisional password) are printed by ``educonnect_demo``.
Each run leaves both accounts *notified* with the same provisional password, and puts an
account someone activated meanwhile back to *notified* (a new provisional password), so the
walk can be replayed after every ``make demo``. Emails print on the console backend.
"""

from __future__ import annotations

import datetime

from cas_educonnect.accounts import lifecycle
from cas_educonnect.accounts.identifiers import allocate_identifier
from cas_educonnect.accounts.passwords import decrypt_provisional_password
from cas_educonnect.demo import DemoContext
from cas_educonnect.models import (
    Account,
    AccountKind,
    AccountState,
    Establishment,
    NotificationMode,
    Pupil,
    Representative,
    RepresentativeLink,
)

PUPIL_BIRTH_DATE = datetime.date(2011, 5, 17)


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
    context.notes.append(
        "ATEN first login: 'Élèves ou parents', then an identifier and provisional password above; "
        f"the birth date asked is Arthur's ({birth}). The representative's validation link is printed "
        "on the server console (console email backend): open it to finish the activation."
    )

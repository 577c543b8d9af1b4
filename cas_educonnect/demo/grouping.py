"""Demo step: a parent with two ATEN accounts (one per child, as ATEN gave them) to group.

Sophie Lemaire has a child in each of two demo schools, hence two directory persons with
the same names and two accounts in use. Logged in with the first, « Regrouper mes comptes »
with the identifier and password of the second groups them (same person). Each run puts
both accounts back in use, apart, with the printed passwords, so the grouping can be
replayed after every ``make demo``.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone

from cas_educonnect.demo import DemoContext
from cas_educonnect.models import (
    Account,
    AccountKind,
    AccountState,
    Establishment,
    Pupil,
    Representative,
    RepresentativeLink,
)

PASSWORDS = ("Regroupement-Un-2026", "Regroupement-Deux-2026")
#: Fixed, so every run finds the same two rows (the second is closed after a grouping).
IDENTIFIERS = ("sophie.lemaire", "sophie.lemaire2")
SCHOOLS = (
    ("0759996B", "DEMO-GRP-STR1", "École Voltaire (démo regroupement)"),
    ("0759995C", "DEMO-GRP-STR2", "Collège Colette (démo regroupement)"),
)
CHILDREN = (("Camille", datetime.date(2014, 9, 3)), ("Noé", datetime.date(2011, 1, 21)))


def _person(n: int) -> Representative:
    uai, jointure, name = SCHOOLS[n]
    school, _ = Establishment.objects.get_or_create(
        uai=uai, defaults={"jointure": jointure, "name": name, "academy_code": "DEMO"}
    )
    first_name, birth = CHILDREN[n]
    child, _ = Pupil.objects.update_or_create(
        jointure=f"DEMO-GRP-ELV{n + 1}",
        defaults={
            "struct_id": f"904500{n + 1}",
            "last_name": "Lemaire",
            "first_name": first_name,
            "birth_date": birth,
            "establishment": school,
        },
    )
    parent, _ = Representative.objects.get_or_create(
        jointure=f"DEMO-GRP-RES{n + 1}",
        defaults={"title": "Mme", "last_name": "Lemaire", "first_name": "Sophie"},
    )
    RepresentativeLink.objects.get_or_create(representative=parent, pupil=child, defaults={"link_code": "10"})
    return parent


def _account(parent: Representative, identifier: str) -> Account:
    """The parent's demo account, whatever happened to it: its own person only (undoes a grouping)."""
    account, _ = Account.objects.get_or_create(identifier=identifier, defaults={"kind": AccountKind.REPRESENTATIVE})
    account.representatives.set([parent])
    return account


def run(context: DemoContext) -> None:
    parents = [_person(0), _person(1)]
    accounts = [_account(parent, identifier) for parent, identifier in zip(parents, IDENTIFIERS, strict=True)]
    now = timezone.now()
    for account, password in zip(accounts, PASSWORDS, strict=True):
        if account.state != AccountState.ACTIVE or not check_password(password, account.password):
            # Direct update: a grouped account is closed for good in real life, not in the demo.
            Account.objects.filter(pk=account.pk).update(
                state=AccountState.ACTIVE,
                closed_at=None,
                provisional_password="",
                password=make_password(password),
                activated_at=account.activated_at or now,
            )
    for account, password, (child, _birth) in zip(accounts, PASSWORDS, CHILDREN, strict=True):
        persona = f"Représentante légale, compte de {child} (à regrouper avec l'autre compte de Sophie Lemaire)"
        context.add_account(account.identifier, password, AccountState.ACTIVE.value, persona, route="aten")
    first, second = (a.identifier for a in accounts)
    context.notes.append(
        f"Grouping: log in ('Élèves ou parents') as {first} / {PASSWORDS[0]}, open « Mon compte » > "
        f"« Regrouper mes comptes » ({context.base_url}/cas/aten/account/group/) and give {second} / "
        f"{PASSWORDS[1]}: one account then covers Camille and Noé."
    )

"""Demo step: one activated account per attribute persona, to see what the demo ENT receives.

Pupil 1D, pupil 2D, a parent of three children in two schools, an adult pupil who is his own
representative (two accounts), a joint account of two parents (« Choisissez votre profil »
at login), a migrated legacy account, and a pupil whose representative refused online
services. All are *Utilisé* with the password below; each run resets it (idempotent).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import check_password, make_password

from cas_educonnect.accounts.identifiers import allocate_identifier
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

PASSWORD = "Demo-attributs-2026"


def _school(uai: str, name: str, degree: str) -> Establishment:
    school, _ = Establishment.objects.get_or_create(
        uai=uai, defaults={"jointure": f"DEMO-ATTR-{uai}", "name": name, "degree": degree, "academy_code": "DEMO"}
    )
    return school


def _pupil(jointure: str, struct_id: str, first: str, last: str, school, birth: datetime.date, **extra) -> Pupil:
    pupil, _ = Pupil.objects.update_or_create(
        jointure=jointure,
        defaults={
            "struct_id": struct_id,
            "first_name": first,
            "last_name": last,
            "establishment": school,
            "birth_date": birth,
            **extra,
        },
    )
    return pupil


def _rep(jointure: str, title: str, first: str, last: str, children: list[Pupil], link: str = "20") -> Representative:
    rep, _ = Representative.objects.get_or_create(
        jointure=jointure, defaults={"title": title, "first_name": first, "last_name": last}
    )
    for child in children:
        RepresentativeLink.objects.get_or_create(
            representative=rep, pupil=child, defaults={"link_code": link, "legal": 1}
        )
    return rep


def _account(kind: str, pupils=(), reps=(), **fields) -> Account:
    """The persons' open account, created if needed, activated with the demo password."""
    person = (list(pupils) + list(reps))[0]
    account = person.accounts.exclude(state=AccountState.CLOSED).first()
    if account is None:
        identifier = allocate_identifier(person.first_name, person.last_name)
        account = Account.objects.create(identifier=identifier, kind=kind, state=AccountState.ACTIVE)
    account.pupils.set(pupils)
    account.representatives.set(reps)
    if not account.password or not check_password(PASSWORD, account.password):
        account.password = make_password(PASSWORD)
    account.state = AccountState.ACTIVE
    account.provisional_password = ""
    for name, value in fields.items():
        setattr(account, name, value)
    account.save()
    return account


def run(context: DemoContext) -> None:
    ecole = _school("0799001A", "École Jules Ferry (démo attributs)", "1D")
    college = _school("0799002B", "Collège Marie Curie (démo attributs)", "2D")
    lycee = _school("0799003C", "Lycée Victor Hugo (démo attributs)", "2D")

    tom = _pupil("DEMO-ATTR-TOM", "10101", "Tom", "Petit", ecole, datetime.date(2016, 5, 2))
    ines = _pupil("DEMO-ATTR-INES", "20202", "Inès", "Durand", college, datetime.date(2012, 9, 30))
    kids = [
        _pupil("DEMO-ATTR-ALICE", "20301", "Alice", "Martin", college, datetime.date(2011, 1, 8)),
        _pupil("DEMO-ATTR-BRUNO", "20302", "Bruno", "Martin", college, datetime.date(2013, 2, 9)),
        _pupil("DEMO-ATTR-CHLOE", "10303", "Chloé", "Martin", ecole, datetime.date(2017, 3, 10)),
    ]
    hugo = _pupil("DEMO-ATTR-HUGO", "30404", "Hugo", "Leroy", lycee, datetime.date(2006, 1, 15))
    zoe = _pupil("DEMO-ATTR-ZOE", "20505", "Zoé", "Bernard", college, datetime.date(2012, 6, 1))
    sam = _pupil("DEMO-ATTR-SAM", "20606", "Sam", "Roux", college, datetime.date(2012, 7, 2))
    lina = _pupil("DEMO-ATTR-LINA", "20707", "Lina", "Morel", college, datetime.date(2012, 8, 3), services_refused=True)

    personas = [
        (_account(AccountKind.PUPIL, pupils=[tom]), "Élève du 1er degré (vecteur 3|||…)"),
        (_account(AccountKind.PUPIL, pupils=[ines]), "Élève du 2nd degré (vecteur 4|||…)"),
        (
            _account(
                AccountKind.REPRESENTATIVE,
                reps=[_rep("DEMO-ATTR-PAUL", "M.", "Paul", "Martin", kids)],
                email="paul.martin@example.org",
                email_validated=True,
            ),
            "Parent de trois enfants dans deux établissements (3 valeurs du vecteur)",
        ),
        (_account(AccountKind.PUPIL, pupils=[hugo]), "Élève majeur, compte élève"),
        (
            _account(AccountKind.REPRESENTATIVE, reps=[_rep("DEMO-ATTR-HUGO-R", "M.", "Hugo", "Leroy", [hugo], "70")]),
            "Élève majeur, son propre représentant (compte représentant)",
        ),
        (
            _account(
                AccountKind.REPRESENTATIVE,
                reps=[
                    _rep("DEMO-ATTR-MARIE", "Mme", "Marie", "Bernard", [zoe], "10"),
                    _rep("DEMO-ATTR-LUC", "M.", "Luc", "Bernard", [zoe]),
                ],
            ),
            "Compte conjoint (« Choisissez votre profil » à la connexion)",
        ),
        (
            _account(
                AccountKind.LEGACY,
                reps=[_rep("DEMO-ATTR-NADIA", "Mme", "Nadia", "Roux", [sam], "10")],
                legacy_identifier="nroux42",
            ),
            "Compte historique migré (identifiant historique nroux42)",
        ),
        (
            _account(AccountKind.PUPIL, pupils=[lina]),
            "Élève dont le représentant a refusé les téléservices de suivi",
        ),
    ]
    for account, persona in personas:
        context.add_account(account.identifier, PASSWORD, AccountState.ACTIVE.value, persona, route="attributes")
    context.notes.append(
        "Attributes: log in to the demo ENT with any 'attributes' account above to see its FrEduVecteur and "
        "EduConnect attributes; `manage.py educonnect_release IDENTIFIER` prints the same as JSON."
    )

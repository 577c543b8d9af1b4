"""Demo step: the legacy "Autres publics" route, with a teacher and a parent who can switch.

The accounts go through the real importer (a CSV with {SSHA}/{SHA} hashes, as a legacy
LDAP directory exports them), so the demo shows the legacy hashers and their upgrade to
Argon2 at the first login. The parent is linked (AAF jointure) to a directory person with
a child, so "Passer à mon compte Éducation nationale" works for him.
"""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from django.contrib.auth.hashers import get_hasher

from cas_educonnect.demo import DemoContext
from cas_educonnect.models import Account, AccountState, Establishment, Pupil, Representative, RepresentativeLink
from cas_educonnect.routes.legacy.hashers import LdapShaPasswordHasher, LdapSshaPasswordHasher
from cas_educonnect.routes.legacy.importer import import_legacy
from cas_educonnect.routes.legacy.models import LegacyProfile

TEACHER = ("MDurand", "Enseignant-Historique-1")
PARENT = ("PMoreau", "Parent-Historique-1")
CHILD_BIRTH_DATE = datetime.date(2011, 5, 20)


def _ldap(hasher, password: str, salt: str) -> str:
    """``{SCHEME}base64`` as the legacy directory stores it (from the Django-format encoding)."""
    return "{%s}%s" % (hasher.scheme, hasher().encode(password, salt).split("$", 1)[1])  # noqa: UP031


def _directory() -> None:
    school, _ = Establishment.objects.get_or_create(
        uai="0799999Z",
        defaults={"jointure": "DEMO-LEGACY-ETAB", "name": "Collège des Autres Publics (démo)", "academy_code": "DEMO"},
    )
    child, _ = Pupil.objects.get_or_create(
        jointure="DEMO-LEGACY-ELV1",
        defaults={
            "struct_id": "799001",
            "last_name": "Moreau",
            "first_name": "Inès",
            "birth_date": CHILD_BIRTH_DATE,
            "establishment": school,
        },
    )
    parent, _ = Representative.objects.get_or_create(
        jointure="DEMO-LEGACY-RES1", defaults={"title": "M.", "last_name": "Moreau", "first_name": "Pierre"}
    )
    RepresentativeLink.objects.get_or_create(representative=parent, pupil=child, defaults={"link_code": "20"})


def _hashers_enabled() -> bool:

    try:
        get_hasher(LdapSshaPasswordHasher.algorithm)
        get_hasher(LdapShaPasswordHasher.algorithm)
    except ValueError:
        return False
    return True


def _undo_switch() -> None:
    """Put the parent back before his switch, so « Passer à mon compte Éducation nationale » can
    be tried after every ``make demo``: his legacy account open again, the account the switch
    made or chose back to its state before (a made one is deleted: it did not exist)."""
    profile = LegacyProfile.objects.filter(account__identifier=PARENT[0].lower()).select_related("account").first()
    if profile is None or profile.switched_at is None:
        return
    target = profile.switched_to
    if target is not None and target.created_at >= profile.switched_at - datetime.timedelta(seconds=5):
        target.delete()  # made by the switch
    elif target is not None and target.legacy_identifier == PARENT[0]:
        Account.objects.filter(pk=target.pk).update(legacy_identifier="")
    Account.objects.filter(pk=profile.account_id).update(state=AccountState.ACTIVE, closed_at=None)
    LegacyProfile.objects.filter(pk=profile.pk).update(switched_at=None, switched_to=None)


def run(context: DemoContext) -> None:
    if not _hashers_enabled():
        context.notes.append(
            "Legacy route demo skipped: add cas_educonnect.routes.legacy.hashers.LdapSshaPasswordHasher and "
            "LdapShaPasswordHasher to PASSWORD_HASHERS (see docs/configuration.md)."
        )
        return
    _directory()
    _undo_switch()
    rows = [
        "identifier,password,category,last_name,first_name,email,jointure",
        f"{TEACHER[0]},{_ldap(LdapSshaPasswordHasher, TEACHER[1], 'demosalt')},teacher,Durand,Marie,,",
        f"{PARENT[0]},{_ldap(LdapShaPasswordHasher, PARENT[1], 'x')},representative,Moreau,Pierre,,DEMO-LEGACY-RES1",
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-legacy.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        summary = import_legacy(path)
    if summary.errors:
        raise RuntimeError("demo legacy import failed: %s" % summary.errors)  # noqa: UP031
    for (identifier, password), persona in (
        (TEACHER, "Enseignant, route « Autres publics » (identifiant historique de l'ENT)"),
        (PARENT, "Parent, route « Autres publics », peut basculer (naissance de l'enfant : 20/05/2011)"),
    ):
        account = Account.objects.get(identifier=identifier.lower())
        context.add_account(identifier, password, account.state, persona, route="autres-publics")

"""Demo step: the demo academy, generated as an AAF export and loaded through the importer.

Three schools (a collège, a lycée, an école), ~300 pupils and ~450 representatives from
``directory.generate`` (fixed seed), imported by ``directory.importer`` exactly as a
nightly export would be. Then a few accounts are walked through the life cycle
(``accounts.lifecycle``) so that every state exists, and their credentials go to the
context. Re-running finds the import unchanged and the accounts already in place.
"""

from __future__ import annotations

import tempfile

from cas_educonnect.accounts import lifecycle
from cas_educonnect.accounts.passwords import decrypt_provisional_password
from cas_educonnect.demo import DemoContext
from cas_educonnect.directory.generate import Generator, School
from cas_educonnect.directory.importer import import_paths
from cas_educonnect.models import Account, AccountState, NotificationMode, Pupil

SEED = 2026
PUPILS = 300
SCHOOLS = [
    School("9001", "0561001A", "Collège Jules Simon", "college", "VANNES"),
    School("9002", "0561002B", "Lycée Alain-René Lesage", "lycee", "VANNES"),
    School("9003", "0561003C", "École élémentaire Jean Jaurès", "ecole", "VANNES"),
]
PUPIL_PASSWORD = "Eleve-demo-2026"
PARENT_PASSWORD = "Parent-demo-2026"
S = AccountState


def _account(**lookup) -> Account:
    return Account.objects.exclude(state=S.CLOSED).get(**lookup)


def _describe(account: Account) -> dict:
    pupils = list(account.pupils.values_list("jointure", "establishment__uai"))
    reps = list(account.representatives.values_list("jointure", flat=True))
    linked = Pupil.objects.filter(links__representative__accounts=account, links__closed_at__isnull=True)
    schools = sorted({uai for _j, uai in pupils} | set(linked.values_list("establishment__uai", flat=True)))
    return {"kind": account.kind, "schools": schools, "jointures": sorted([j for j, _u in pupils] + reps)}


def _notified(context: DemoContext, account: Account, persona: str) -> None:
    if account.state == S.NOT_NOTIFIED:
        lifecycle.notify(account, NotificationMode.PAPER)
        account.refresh_from_db()
    clear = decrypt_provisional_password(account.provisional_password) or ""
    context.add_account(account.identifier, clear, account.state, persona, **_describe(account))


def _active(context: DemoContext, account: Account, persona: str, email: str = "") -> None:
    password = PUPIL_PASSWORD if account.kind == "pupil" else PARENT_PASSWORD
    if account.state == S.NOT_NOTIFIED:
        lifecycle.notify(account)
    if account.state == S.NOTIFIED:
        if account.kind == "pupil":
            lifecycle.activate(account, password)
        else:
            lifecycle.start_activation(account, password, email)
    if account.state == S.ACTIVATING and account.pending_email:
        lifecycle.validate_email(account)
    account.refresh_from_db()
    context.add_account(account.identifier, password, account.state, persona, **_describe(account))


def run(context: DemoContext) -> None:
    with tempfile.TemporaryDirectory(prefix="educonnect-demo-aaf-") as folder:
        export = Generator(PUPILS, SEED, SCHOOLS).write(folder)
        summary = import_paths([folder])
    h = export.highlights
    context.notes.append(
        f"Demo academy: {export.pupils} pupils and {export.representatives} representatives in "
        f"{len(SCHOOLS)} schools, imported from a generated AAF export ({summary.changes} changes this run)."
    )
    # Refusal: the school records that this representative refused the follow-up services.
    Pupil.objects.filter(jointure=h.refused_pupil).update(services_refused=True)

    # Joint account: the second parent joins the first parent's account, whose own closes.
    first = _account(representatives__jointure=h.joint[0])
    second = Account.objects.filter(representatives__jointure=h.joint[1]).exclude(pk=first.pk).first()
    first.representatives.add(*first.representatives.model.objects.filter(jointure=h.joint[1]))
    if second is not None and second.state != S.CLOSED:
        lifecycle.close(second)

    _notified(context, _account(pupils__jointure=h.siblings[0]), "Élève de collège, compte notifié (à activer)")
    _active(context, _account(pupils__jointure=h.siblings[1]), "Élève de lycée, compte utilisé")
    _notified(
        context,
        _account(representatives__jointure=h.siblings_parent),
        "Parent d'un collégien et d'un lycéen (un seul compte pour les deux établissements), notifié",
    )
    _active(context, first, "Compte conjoint des deux parents (choix du profil à la connexion)", "conjoint@example.org")
    if second is not None:
        context.add_account(second.identifier, "", S.CLOSED, "Compte fermé (regroupé dans le compte conjoint)")
    _active(context, _account(pupils__jointure=h.adult_pupil), "Élève majeur, compte élève utilisé")
    _notified(
        context, _account(representatives__jointure=h.adult_pupil_rep), "Élève majeur, son compte de représentant"
    )
    _active(context, _account(pupils__jointure=h.refused_pupil), "Élève dont le représentant a refusé les téléservices")
    refusing = _account(representatives__jointure=h.refused_rep)
    if refusing.state == S.NOT_NOTIFIED:
        lifecycle.notify(refusing, NotificationMode.EMAIL)
        lifecycle.start_activation(refusing, PARENT_PASSWORD, "refus@example.org")
    refusing.refresh_from_db()
    context.add_account(
        refusing.identifier,
        PARENT_PASSWORD,
        refusing.state,
        "Représentant ayant refusé les téléservices pour son enfant, activation en cours (courriel à valider)",
        **_describe(refusing),
    )
    for jointure in h.homonyms:
        account = _account(representatives__jointure=jointure)
        context.add_account(account.identifier, "", account.state, "Homonyme « Philippe Dupont », non notifié")

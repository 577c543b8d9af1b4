"""Small hand-written AAF fixtures for the importer tests (our own, not the AGPL samples)."""

from __future__ import annotations

from pathlib import Path

from cas_educonnect.directory.writer import request
from cas_educonnect.models import (
    Account,
    Division,
    Establishment,
    Group,
    Mef,
    Pupil,
    Representative,
    RepresentativeLink,
    UsedIdentifier,
)

HEAD = '<?xml version="1.0" encoding="{enc}"?>\n<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n<ficAlimMENESR>\n'


def write(folder: Path, name: str, records: list[str], encoding: str = "UTF-8") -> Path:
    path = folder / name
    text = HEAD.format(enc=encoding) + "".join(records) + "</ficAlimMENESR>\n"
    path.write_bytes(text.encode(encoding))
    return path


def school(jointure="100", uai="0561641E", kind="COLLEGE", name="CLG$COLLEGE JULES SIMON$VANNES", op="add"):
    attrs = [
        ("ENTStructureJointure", jointure),
        ("ENTStructureUAI", uai),
        ("ENTStructureNomCourant", name),
        ("ENTStructureTypeStruct", kind),
        ("ENTServAcCodeAcademie", "014"),
        ("ENTStructureClasses", ["3A$3EME A", "4B$4EME B"]),
    ]
    return request("EtabEducNat", jointure, attrs, op=op)


def rep(jointure, last="MARTIN", first="Paul", mobile="06 12 34 56 78", mail="paul@example.org", op="add", **extra):
    attrs = [
        ("ENTPersonJointure", jointure),
        ("sn", last),
        ("givenName", first),
        ("personalTitle", "M."),
        ("mail", mail),
        ("ENTPersonMobileSMS", mobile),
    ]
    attrs += list(extra.items())
    return request("PersRelEleve", jointure, attrs, op=op)


def pupil(jointure, school="100", links=(), last="MARTIN", first="Léa", born="14/03/2012", division="3A", **extra):
    attrs = [
        ("ENTPersonJointure", jointure),
        ("ENTEleveINE", "1234567890A"),
        ("ENTEleveStructRattachId", f"7{jointure}"),
        ("ENTPersonDateNaissance", born),
        ("sn", last),
        ("givenName", first),
        ("ENTPersonStructRattach", school),
        ("ENTEleveClasses", f"{school}${division}"),
        ("ENTEleveMEF", "10310019110"),
        ("ENTEleveLibelleMEF", "3EME"),
        ("ENTEleveRegime", "DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT"),
        ("ENTElevePersRelEleve", [f"{r}$10$1$1$1$0" if "$" not in r else r for r in links]),
    ]
    attrs += list(extra.items())
    return request("Eleve", jointure, attrs)


MODELS = [Establishment, Mef, Division, Group, Pupil, Representative, RepresentativeLink, Account, UsedIdentifier]


def snapshot() -> dict:
    """Every row of every directory and account table: equal snapshots = unchanged database."""
    return {model.__name__: sorted(map(repr, model.objects.values_list())) for model in MODELS}

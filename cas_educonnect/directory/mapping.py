"""AAF attributes -> our fields, for 2nd-degree names and the 1st-degree ones that differ.

Each ``*_state`` function returns the canonical state of one record: model field values
plus references by AAF key (school jointure, MEF code, representative jointure). The
importer digests that state to spot unchanged records, then resolves the references.
With ``partial=True`` (a ``modifyRequest``) only the keys whose attributes are present
come back. Bad values raise ``ValueError`` with an English message.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from cas_educonnect.directory.base import Record

UAI = re.compile(r"^\d{7}[A-Z]$")
FIRST_DEGREE_TYPES = {"ECOLE", "ECOLE ELEMENTAIRE", "ECOLE MATERNELLE", "ECOLE PRIMAIRE", "ECOLE SPECIALISEE"}
# ENTEleveRegime values start with these words ("DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT").
REGIMES = [("DEMI", "demi-pensionnaire"), ("INTERN", "interne"), ("EXTERN", "externe")]

LAST = ("sn", "ENTPersonNom")
FIRST = ("givenName", "ENTPersonPrenom")
TITLE = ("personalTitle", "ENTPersonCivilite")
MAIL = ("mail", "ENTPersonMail")
MOBILE = ("ENTPersonMobileSMS", "mobile", "ENTPersonTelPort")
CLASSES = ("ENTEleveClasses", "ENTPersonClasses")
GROUPS = ("ENTEleveGroupes", "ENTPersonGroupes")
LINKS_2D = "ENTElevePersRelEleve"
LINKS_1D = "ENTEleveAutoriteParentale"


def _cut(value: str, size: int) -> str:
    return value[:size].strip()


def _email(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        return ""  # SIECLE holds typos; an unusable address is dropped, not fatal.
    return value[:254]


_FRENCH = re.compile(r"^(?:0|\+33|0033)([1-9]\d{8})$")
_SEPARATORS = re.compile(r"[\s.\-/()]")


def _mobile(value: str) -> str:
    """E.164 form of a phone number as SIECLE holds it; "" when unusable."""
    if not value:
        return ""
    french = _FRENCH.match(_SEPARATORS.sub("", value))
    if french:  # the usual case, without the cost of phonenumbers
        return "+33" + french.group(1)
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_date(value: str) -> str | None:
    """``dd/mm/yyyy`` (or ``yyyy-mm-dd``) -> ISO date, None if empty; ValueError if bad."""
    value = value.strip()
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"unparsable date {value!r} (expected dd/mm/yyyy)")


def _pairs(record: Record, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """``<structure jointure>$<code>`` values -> sorted unique pairs."""
    found = set()
    for name in names:
        for value in record.attrs.get(name, ()):
            parts = (value or "").split("$")
            if len(parts) >= 2 and parts[0].strip() and parts[1].strip():
                found.add((parts[0].strip(), _cut(parts[1], 64)))
    return sorted(found)


def _links(record: Record) -> list[tuple[str, str, bool, int, bool]]:
    """``(representative jointure, link code, financial, legal, contact)``, sorted, one per rep."""
    links: dict[str, tuple[str, str, bool, int, bool]] = {}
    for value in record.attrs.get(LINKS_2D, ()):
        if not (value or "").strip():
            continue
        parts = [p.strip() for p in value.split("$")] + [""] * 6
        if not parts[0]:
            raise ValueError(f"{LINKS_2D} value {value!r} has no representative id")
        if parts[3] not in ("0", "1", "2"):
            raise ValueError(f"{LINKS_2D} value {value!r}: legal status must be 0, 1 or 2")
        links.setdefault(parts[0], (parts[0], parts[1][:8], parts[2] == "1", int(parts[3]), parts[4] == "1"))
    for value in record.attrs.get(LINKS_1D, ()):
        parts = [p.strip() for p in (value or "").split("$")] + [""]
        if parts[0]:
            links.setdefault(parts[0], (parts[0], parts[1][:8], False, 1, True))
    return sorted(links.values())


def _keep(state: dict[str, Any], record: Record, partial: bool, sources: dict[str, tuple[str, ...]]) -> dict:
    if not partial:
        return state
    return {key: value for key, value in state.items() if record.has(*sources.get(key, (key,)))}


def establishment_state(record: Record, partial: bool = False) -> dict[str, Any]:
    uai = record.first("ENTStructureUAI", "ENTEtablissementUAI").upper()
    if (uai or not partial) and not UAI.match(uai):
        raise ValueError(f"invalid or missing UAI {uai!r} (7 digits and a letter)")
    parts = [p.strip() for p in record.first("ENTStructureNomCourant").split("$") if p.strip()]
    kind = record.first("ENTStructureTypeStruct").upper()
    state = {
        "uai": uai,
        "name": _cut(" ".join(parts[1:] if len(parts) > 1 else parts) or uai, 255),
        "address": _cut(record.first("street", "ENTStructureAdresse"), 255),
        "postal_code": _cut(record.first("postalCode"), 10),
        "city": _cut(record.first("l"), 128),
        "phone": _cut(record.first("telephoneNumber"), 32),
        "email": _email(record.first("ENTStructureMailSI", "mail")),
        "academy_code": _cut(record.first("ENTServAcCodeAcademie", "ENTServAcAcademie"), 16),
        "degree": "1D" if kind in FIRST_DEGREE_TYPES or kind.startswith("ECOLE") else "2D",
        "classes": sorted({(c, label) for _s, c, label in _labelled(record, "ENTStructureClasses")}),
    }
    return _keep(
        state,
        record,
        partial,
        {
            "uai": ("ENTStructureUAI", "ENTEtablissementUAI"),
            "name": ("ENTStructureNomCourant",),
            "address": ("street", "ENTStructureAdresse"),
            "postal_code": ("postalCode",),
            "city": ("l",),
            "phone": ("telephoneNumber",),
            "email": ("ENTStructureMailSI", "mail"),
            "academy_code": ("ENTServAcCodeAcademie", "ENTServAcAcademie"),
            "degree": ("ENTStructureTypeStruct",),
            "classes": ("ENTStructureClasses",),
        },
    )


def _labelled(record: Record, name: str) -> list[tuple[str, str, str]]:
    """``<code>$<label>`` values -> (code, code, label)."""
    found = []
    for value in record.attrs.get(name, ()):
        parts = [p.strip() for p in (value or "").split("$")]
        if parts[0]:
            found.append((parts[0], _cut(parts[0], 64), _cut(parts[1] if len(parts) > 1 else "", 255)))
    return found


def mef_state(record: Record, partial: bool = False) -> dict[str, Any]:
    state = {"label": _cut(record.first("ENTLibelleMef"), 255), "mefstat": _cut(record.first("ENTMEFSTAT11"), 11)}
    return _keep(state, record, partial, {"label": ("ENTLibelleMef",), "mefstat": ("ENTMEFSTAT11",)})


def representative_state(record: Record, partial: bool = False) -> dict[str, Any]:
    last = _cut(record.first(*LAST), 255)
    if not last and (not partial or record.has(*LAST)):
        raise ValueError("representative without a last name (sn)")
    address = ", ".join(p.strip() for v in record.attrs.get("ENTPersonAdresse", ()) for p in (v or "").split("$"))
    state = {
        "title": _cut(record.first(*TITLE), 16),
        "last_name": last,
        "first_name": _cut(record.first(*FIRST), 255),
        "email": _email(record.first(*MAIL)),
        "mobile": _mobile(record.first(*MOBILE)),
        "address": _cut(", ".join(p for p in address.split(", ") if p), 255),
        "postal_code": _cut(record.first("ENTPersonCodePostal"), 10),
        "city": _cut(record.first("ENTPersonVille"), 128),
        "country": _cut(record.first("ENTPersonPays"), 64),
    }
    return _keep(
        state,
        record,
        partial,
        {
            "title": TITLE,
            "last_name": LAST,
            "first_name": FIRST,
            "email": MAIL,
            "mobile": MOBILE,
            "address": ("ENTPersonAdresse",),
            "postal_code": ("ENTPersonCodePostal",),
            "city": ("ENTPersonVille",),
            "country": ("ENTPersonPays",),
        },
    )


def _regime(value: str) -> str:
    value = value.upper()
    if not value:
        return ""
    return next((choice for prefix, choice in REGIMES if value.startswith(prefix)), "autre")


def pupil_state(record: Record, partial: bool = False) -> dict[str, Any]:
    last = _cut(record.first(*LAST), 255)
    if not last and (not partial or record.has(*LAST)):
        raise ValueError("pupil without a last name (sn)")
    school = record.first("ENTPersonStructRattach")
    if not school and (not partial or record.has("ENTPersonStructRattach")):
        raise ValueError("pupil without a school (ENTPersonStructRattach)")
    ine = record.first("ENTEleveINE").upper()
    if len(ine) > 11:
        raise ValueError(f"invalid INE {ine!r} (11 characters)")
    classes = _pairs(record, CLASSES)
    division = next((code for struct, code in classes if struct == school), classes[0][1] if classes else "")
    mef = _cut(record.first("ENTEleveMEF", "ENTEleveNiveau"), 32)
    state = {
        "struct_id": _cut(record.first("ENTEleveStructRattachId"), 64),
        "ine": ine,
        "last_name": last,
        "first_name": _cut(record.first(*FIRST), 255),
        "birth_date": parse_date(record.first("ENTPersonDateNaissance")),
        "school": school,
        "division": division,
        "mef": mef,
        "mef_label": _cut(record.first("ENTEleveLibelleMEF", "ENTEleveNiveau"), 255),
        "regime": _regime(record.first("ENTEleveRegime")),
        "groups": sorted({code for struct, code in _pairs(record, GROUPS) if struct == school}),
        "links": _links(record),
    }
    return _keep(
        state,
        record,
        partial,
        {
            "struct_id": ("ENTEleveStructRattachId",),
            "ine": ("ENTEleveINE",),
            "last_name": LAST,
            "first_name": FIRST,
            "birth_date": ("ENTPersonDateNaissance",),
            "school": ("ENTPersonStructRattach",),
            "division": CLASSES,
            "mef": ("ENTEleveMEF", "ENTEleveNiveau"),
            "mef_label": ("ENTEleveLibelleMEF", "ENTEleveNiveau"),
            "regime": ("ENTEleveRegime",),
            "groups": GROUPS,
            "links": (LINKS_2D, LINKS_1D),
        },
    )

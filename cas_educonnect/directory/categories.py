"""The two person categories of an AAF export, on the contract of :class:`.persons.People`.

:class:`Representatives` (PersRelEleve) and :class:`Pupils` (Eleve): their mappings, how
their current rows are read back, and which rows a full export leaves alone (persons only
known in schools it does not cover). Pupils also resolve their school, division, MEF and
links to representatives.
"""

from __future__ import annotations

import datetime

from cas_educonnect.core.db import adapt
from cas_educonnect.directory.base import PUPIL, REPRESENTATIVE
from cas_educonnect.directory.mapping import pupil_state, representative_state
from cas_educonnect.directory.parser import raw_first
from cas_educonnect.directory.persons import PUPIL_FIELDS, REP_FIELDS, People
from cas_educonnect.directory.pupil_db import pupil_db_states
from cas_educonnect.directory.state import unpack
from cas_educonnect.directory.structures import Structures
from cas_educonnect.models import Pupil, Representative, RepresentativeLink


class Representatives(People):
    model = Representative
    category = REPRESENTATIVE
    fields = REP_FIELDS
    link_field = "representative"

    def state(self, record):
        return representative_state(record)

    def state_partial(self, record):
        return representative_state(record, partial=True)

    def db_states(self, pks):
        rows = Representative.objects.filter(pk__in=pks).values("pk", *REP_FIELDS)
        return {row.pop("pk"): {**row, "mobile": str(row["mobile"] or "")} for row in rows}

    def outside(self, covered):
        """Representatives linked to a pupil still present in a school the export does not cover."""
        links = RepresentativeLink.objects.filter(closed_at__isnull=True, pupil__left_at__isnull=True)
        return links.exclude(pupil__establishment_id__in=covered).values_list("representative_id", flat=True)

    def pk(self, jointure: str) -> int | None:
        known = self.index.get(jointure)
        return unpack(known)[0] if known is not None else None


class Pupils(People):
    model = Pupil
    category = PUPIL
    fields = PUPIL_FIELDS
    link_field = "pupil"

    def __init__(self, summary, now, writer, structures: Structures, representatives: Representatives) -> None:
        super().__init__(summary, now, writer)
        self.structures, self.representatives = structures, representatives
        self.schools_seen: set[int] = set()

    def state(self, record):
        return pupil_state(record)

    def state_partial(self, record):
        return pupil_state(record, partial=True)

    def db_states(self, pks):
        return pupil_db_states(pks)

    def outside(self, covered):
        return (
            Pupil.objects.filter(left_at__isnull=True)
            .exclude(establishment_id__in=covered)
            .values_list("pk", flat=True)
        )

    def covered(self) -> set[int]:
        """Schools named by the export: its EtabEducNat records and its pupils' schools."""
        schools = self.structures.schools
        return self.schools_seen | {schools[j][0] for j in self.structures.seen_schools if j in schools}

    def check_unchanged(self, record):
        self.schools_seen.add(self.structures.school_pk(record.first("ENTPersonStructRattach")))

    def note_unchanged(self, raw):
        known = self.structures.schools.get(raw_first(raw, "ENTPersonStructRattach") or "")
        if known is None:
            return False
        self.schools_seen.add(known[0])
        return True

    def check(self, record, state):
        if record.op == "add":
            self.schools_seen.add(self.structures.school_pk(state["school"]))
        self.structures.school_pk(state["school"])
        for link in state["links"]:
            if self.representatives.pk(link[0]) is None:
                raise ValueError(f"unknown representative {link[0]!r} (no PersRelEleve record with this id)")
        if state["birth_date"] is not None and not isinstance(state["birth_date"], str):
            state["birth_date"] = state["birth_date"].isoformat()

    def row(self, record, state, hexd, pk):
        obj = super().row(record, state, hexd, pk)
        school = self.structures.school_pk(state["school"])
        obj.establishment_id = school
        obj.division_id = self.structures.divisions.get((school, state["division"]))
        obj.mef_id = self.structures.mefs[state["mef"]][0] if state["mef"] else None
        return obj

    def extra_update_fields(self):
        return ["establishment", "division", "mef"]

    def columns(self):
        return [*super().columns(), "establishment", "division", "mef"]

    def values(self, record, state, hexd):
        school = self.structures.school_pk(state["school"])
        born = adapt(datetime.date.fromisoformat(state["birth_date"])) if state["birth_date"] else None
        base = super().values(record, {**state, "birth_date": born}, hexd)
        division = self.structures.divisions.get((school, state["division"]))
        return (*base, school, division, self.structures.mefs[state["mef"]][0] if state["mef"] else None)

    def write(self, changed):
        mefs = {s["mef"]: s["mef_label"] for _r, s, _h, _pk in changed if s["mef"]}
        divisions, groups = set(), set()
        for _r, s, _h, _pk in changed:
            school = self.structures.school_pk(s["school"])
            divisions.add((school, s["division"]))
            groups.update((school, code) for code in s["groups"])
        self.structures.ensure(mefs, divisions, groups)
        super().write(changed)

    def stage_values(self, record, state, hexd):
        school = self.structures.school_pk(state["school"])
        division = self.structures.divisions.get((school, state["division"]))
        mef = self.structures.mefs[state["mef"]][0] if state["mef"] else None
        return (*super().stage_values(record, state, hexd), school, division, mef)

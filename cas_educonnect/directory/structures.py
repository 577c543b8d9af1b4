"""Import of schools (EtabEducNat) and MEFs (MefEducNat): small tables, row by row.

Also owns the lookups pupils need (school jointure -> pk, MEF code -> pk, division and
group codes -> pk), creating MEFs, divisions and groups on first mention.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cas_educonnect.directory.base import Record, TypeSummary
from cas_educonnect.directory.mapping import establishment_state, mef_state
from cas_educonnect.directory.state import digest
from cas_educonnect.models import Division, Establishment, Group, Mef


class Structures:
    def __init__(self, summary: dict[str, TypeSummary]) -> None:
        self.summary = summary
        self.schools = {
            j: (pk, uai, h)
            for j, pk, uai, h in Establishment.objects.values_list("jointure", "pk", "uai", "source_hash")
        }
        self.uais = {uai: j for j, (_pk, uai, _h) in self.schools.items()}
        self.mefs = {code: (pk, label) for code, pk, label in Mef.objects.values_list("code", "pk", "label")}
        self.divisions = {(e, c): pk for e, c, pk in Division.objects.values_list("establishment_id", "code", "pk")}
        self.groups = {(e, c): pk for e, c, pk in Group.objects.values_list("establishment_id", "code", "pk")}
        self.seen_schools: set[str] = set()

    # -- schools ------------------------------------------------------------------
    def school_state(self, record: Record) -> dict[str, Any]:
        """Full state of a school record; a modify is merged over what the database has."""
        if record.op != "modify":
            return establishment_state(record)
        known = Establishment.objects.filter(jointure=record.jointure).first()
        if known is None:
            raise ValueError(f"modifyRequest for unknown school {record.jointure!r}")
        current = {
            key: getattr(known, key)
            for key in ("uai", "name", "address", "postal_code", "city", "phone", "email", "academy_code", "degree")
        }
        current["classes"] = sorted(known.divisions.exclude(label="").values_list("code", "label"))
        return {**current, **establishment_state(record, partial=True)}

    def apply_school(self, record: Record) -> None:
        summary = self.summary["EtabEducNat"]
        if record.op == "delete":
            known = self.schools.get(record.jointure)
            if known and not Establishment.objects.filter(pk=known[0], pupils__isnull=False).exists():
                Establishment.objects.filter(pk=known[0]).delete()
                del self.schools[record.jointure]
                self.uais.pop(known[1], None)
                summary.deleted += 1
            else:  # unknown, or pupils (even gone ones) still point to it: kept
                summary.skipped += 1
            return
        if record.op == "add" and record.jointure in self.seen_schools:
            raise ValueError(f"duplicate school id {record.jointure!r} in this import")
        state = self.school_state(record)
        owner = self.uais.get(state["uai"])
        if owner is not None and owner != record.jointure:
            raise ValueError(f"UAI {state['uai']} already belongs to school {owner!r}")
        self.seen_schools.add(record.jointure)
        hexd = digest(state)
        classes = state.pop("classes")
        known = self.schools.get(record.jointure)
        if known and known[2] == hexd:
            summary.unchanged += 1
            return
        fields = {**state, "source_hash": hexd}
        if known:
            Establishment.objects.filter(pk=known[0]).update(**fields, updated_at=timezone.now())
            self.uais.pop(known[1], None)
            pk = known[0]
            summary.updated += 1
        else:
            pk = Establishment.objects.create(jointure=record.jointure, **fields).pk
            summary.created += 1
        self.schools[record.jointure] = (pk, state["uai"], hexd)
        self.uais[state["uai"]] = record.jointure
        new: dict[str, Division] = {}
        for code, label in classes:
            division = self.divisions.get((pk, code))
            if division is None:  # a code listed twice keeps its last label, as an update would
                new[code] = Division(establishment_id=pk, code=code, label=label)
            else:
                Division.objects.filter(pk=division).exclude(label=label).update(label=label)
        for division in Division.objects.bulk_create(new.values()):  # one query per school, not per class
            self.divisions[(pk, division.code)] = division.pk

    def school_pk(self, jointure: str) -> int:
        known = self.schools.get(jointure)
        if known is None:
            raise ValueError(f"unknown school {jointure!r} (no EtabEducNat record with this id)")
        return known[0]

    # -- MEFs ---------------------------------------------------------------------
    def apply_mef(self, record: Record) -> None:
        summary = self.summary["MefEducNat"]
        code = record.jointure[:32]
        known = self.mefs.get(code)
        if record.op == "delete":
            if known:
                Mef.objects.filter(pk=known[0]).delete()
                del self.mefs[code]
                summary.deleted += 1
            else:
                summary.skipped += 1
            return
        state = mef_state(record, partial=record.op == "modify")
        label, mefstat = state.get("label", known[1] if known else ""), state.get("mefstat")
        if known is None:
            self.mefs[code] = (Mef.objects.create(code=code, label=label, mefstat=mefstat or "").pk, label)
            summary.created += 1
            return
        # The MEFSTAT (statistics of accesses) is not cached: few MEF records, one query each.
        mefstat_changed = mefstat is not None and Mef.objects.filter(pk=known[0]).exclude(mefstat=mefstat).update(
            mefstat=mefstat
        )
        if known[1] != label:
            Mef.objects.filter(pk=known[0]).update(label=label)
            self.mefs[code] = (known[0], label)
            summary.updated += 1
        elif mefstat_changed:
            summary.updated += 1
        else:
            summary.unchanged += 1

    def ensure(self, mefs: dict[str, str], divisions: set[tuple[int, str]], groups: set[tuple[int, str]]) -> None:
        """Create, in bulk, the MEFs (code -> label), divisions and groups not known yet."""
        new_mefs = [Mef(code=c, label=label) for c, label in mefs.items() if c and c not in self.mefs]
        for mef in Mef.objects.bulk_create(new_mefs):
            self.mefs[mef.code] = (mef.pk, mef.label)
            self.summary["MefEducNat"].created += 1
        for model, index, wanted in ((Division, self.divisions, divisions), (Group, self.groups, groups)):
            new = [model(establishment_id=e, code=c) for e, c in sorted(wanted) if c and (e, c) not in index]
            for row in model.objects.bulk_create(new):
                index[(row.establishment_id, row.code)] = row.pk

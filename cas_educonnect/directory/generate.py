"""A synthetic, deterministic AAF export: an academy of N pupils and ~1.5 N representatives.

Used by the demo (``cas_educonnect.demo.academy``), the tests and ``bench/gen_aaf.py``;
nothing real is in it. Families live in sectors (one école, collège and lycée each), so
siblings spread over schools; surnames and first names follow French frequencies, so
homonyms (``philippe.dupont1``) are common. 2nd-degree files use the 2D attribute names
in UTF-8, 1st-degree files the 1D names in ISO-8859-15, as real exports do. The first
families are the demo's showcases (see :class:`Highlights`). Same seed, same bytes.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cas_educonnect.directory import names
from cas_educonnect.directory.writer import AafWriter, request

KINDS = ("ecole", "college", "lycee")
LEVELS = {  # level, MEF code (2D) -- years of birth follow the level
    "ecole": [("CP", ""), ("CE1", ""), ("CE2", ""), ("CM1", ""), ("CM2", "")],
    "college": [("6EME", "10010012110"), ("5EME", "10110001110"), ("4EME", "10210001110"), ("3EME", "10310019110")],
    "lycee": [("2NDE", "20010018110"), ("1ERE", "20111010110"), ("TLE", "20211010110")],
}
SHARE = {"ecole": 0.45, "college": 0.30, "lycee": 0.25}
SIZE = {"ecole": 150, "college": 500, "lycee": 900}
NAME = {"ecole": "ECOLE PRIMAIRE", "college": "COLLEGE", "lycee": "LYCEE"}
CITIES = ["VANNES", "LORIENT", "PONTIVY", "AURAY", "PLOERMEL", "QUESTEMBERT", "HENNEBONT", "GUER"]
REGIMES = ["EXTERNE LIBRE", "DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT", "INTERNE DANS L'ETABLISSEMENT"]


@dataclass
class School:
    jointure: str
    uai: str
    name: str
    kind: str
    city: str

    @property
    def degree(self) -> str:
        return "1D" if self.kind == "ecole" else "2D"


@dataclass
class Highlights:
    """AAF jointures of the showcase cases, for the demo and the tests."""

    siblings: list[str] = field(default_factory=list)  # pupils of one family in a collège and a lycée
    siblings_parent: str = ""  # one representative record covering both
    adult_pupil: str = ""  # a pupil of 18+ who is his own representative
    adult_pupil_rep: str = ""
    refused_rep: str = ""  # refuses online services for his child
    refused_pupil: str = ""
    joint: list[str] = field(default_factory=list)  # two parents sharing one account
    homonyms: list[str] = field(default_factory=list)  # two "Philippe Dupont"
    split_parent: list[str] = field(default_factory=list)  # one human, a record per school


@dataclass
class Export:
    paths: list[Path]
    schools: list[School]
    pupils: int
    representatives: int
    highlights: Highlights


def default_schools(n: int, academy: str = "056") -> list[School]:
    """Enough écoles, collèges and lycées for ``n`` pupils (at least one of each)."""
    schools, number = [], 0
    for kind in KINDS:
        for k in range(max(1, round(n * SHARE[kind] / SIZE[kind]))):
            number += 1
            city = CITIES[k % len(CITIES)]
            uai = f"{academy}{number:04d}{'ABCDEFGHJKLMNPRSTUVWXYZ'[number % 23]}"
            schools.append(School(str(1000 + number), uai, f"{NAME[kind]} {city.title()} {k + 1}", kind, city))
    return schools


class Generator:
    """Families of an academy, reproducible from ``seed``; ``write()`` makes the files."""

    def __init__(self, n: int, seed: int = 0, schools: list[School] | None = None, year: int = 2026) -> None:
        self.n, self.seed, self.year = n, seed, year
        self.schools = schools or default_schools(n)
        self.by_kind = {kind: [s for s in self.schools if s.kind == kind] for kind in KINDS}
        self.sectors = max(len(v) for v in self.by_kind.values())
        weights = [SHARE[k] / len(LEVELS[k]) for k in KINDS for _ in LEVELS[k]]
        self.levels = [(k, i) for k in KINDS for i in range(len(LEVELS[k]))], weights
        self.surname_weights = [1 / (rank + 8) for rank in range(len(names.SURNAMES))]

    # -- families -----------------------------------------------------------------
    def _people(self, rng: random.Random) -> Iterator[dict]:
        """Families as dicts: children (with school, level) and parents (names, contacts)."""
        made, index = 0, 0
        while made < self.n:
            family = self._family(rng, index)
            family["children"] = family["children"][: self.n - made]
            made += len(family["children"])
            index += 1
            yield family

    def _surname(self, rng: random.Random) -> str:
        return rng.choices(names.SURNAMES, self.surname_weights)[0]

    def _child(self, rng, sector: int, kind: str | None = None, level: int | None = None, surname: str = "") -> dict:
        if kind is None:
            kind, level = rng.choices(*self.levels)[0]
        level = rng.randrange(len(LEVELS[kind])) if level is None else level
        schools = self.by_kind[kind]
        ordinal = (0 if kind == "ecole" else 4 + (0 if kind == "college" else 4)) + level
        born = datetime.date(self.year - 6 - ordinal, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        girl = rng.random() < 0.5
        return {
            "school": schools[sector % len(schools)],
            "kind": kind,
            "level": level,
            "first": rng.choice(names.GIRLS if girl else names.BOYS),
            "last": surname,
            "title": "Mme" if girl else "M.",
            "born": born,
            "letter": "ABCD"[rng.randrange(4)],
            "level_code": LEVELS[kind][level][0],
            "mef": LEVELS[kind][level][1],
        }

    def _family(self, rng: random.Random, index: int) -> dict:
        surname, sector = self._surname(rng), rng.randrange(self.sectors)
        special = {0: "siblings", 1: "adult", 2: "refusal", 3: "joint", 4: "homonym", 5: "homonym"}.get(index)
        if special == "siblings":
            children = [self._child(rng, sector, "college", 2, surname), self._child(rng, sector, "lycee", 1, surname)]
        elif special == "adult":
            child = self._child(rng, sector, "lycee", 2, surname)
            child["born"] = datetime.date(self.year - 19, 3, 2)
            children = [child]
        elif special:
            children = [self._child(rng, sector, "college", rng.randrange(4), surname)]
        else:
            count = rng.choices([1, 2, 3, 4], [50, 33, 13, 4])[0]
            children = [self._child(rng, sector, surname=surname) for _ in range(count)]
        mother = {"first": rng.choice(names.MOTHERS), "last": surname, "title": "Mme", "code": "10"}
        father = {"first": rng.choice(names.FATHERS), "last": surname, "title": "M.", "code": "20"}
        if special == "homonym":
            father.update(first="Philippe", last="Dupont")
            children[0]["last"] = mother["last"] = "Dupont"
        roll = rng.random()
        parents = [mother, father] if roll < 0.8 or special else [mother] if roll < 0.93 else [father]
        if not special and rng.random() < 0.08:  # a step-parent, person in charge (legal = 2)
            step = {"first": rng.choice(names.FATHERS), "last": self._surname(rng), "title": "M.", "code": "39"}
            parents.append({**step, "legal": "2"})
        for number, parent in enumerate(parents):
            digits = rng.randrange(10**8)
            parent["mobile"] = f"0{6 + number % 2} " + " ".join(f"{digits:08d}"[i : i + 2] for i in range(0, 8, 2))
            parent["mail"] = (
                "" if rng.random() < 0.15 else f"{parent['first']}.{parent['last']}{digits % 97}@example.org"
            )
        schools = {c["school"].jointure for c in children}
        split = special is None and len(schools) > 1 and rng.random() < 0.6
        return {"index": index, "special": special, "children": children, "parents": parents, "split": split}

    # -- files --------------------------------------------------------------------
    def write(self, out_dir: str | Path, prefix: str = "ENT", date: str | None = None) -> Export:
        """Write a full export (``_Complet_`` files) into ``out_dir``."""
        date = date or f"{self.year}0901"
        writer = AafWriter(Path(out_dir), prefix, date, "Complet")
        writer.structures(self.schools, LEVELS)
        highlights = Highlights()
        pupils = reps = 0
        rng = random.Random(self.seed)
        pupil_id, rep_id = 10_000_000, 20_000_000
        for family in self._people(rng):
            records: dict[tuple, dict] = {}  # (parent index, group key) -> rep record
            links: dict[int, list[str]] = {}
            for c, child in enumerate(family["children"]):
                pupil_id += 1
                child["jointure"] = str(pupil_id)
                for p, parent in enumerate(family["parents"]):
                    key = (p, child["school"].degree, child["school"].jointure if family["split"] else "")
                    if key not in records:
                        rep_id += 1
                        records[key] = {**parent, "jointure": str(rep_id), "degree": key[1], "children": []}
                    records[key]["children"].append(child)
                    links.setdefault(c, []).append(records[key]["jointure"])
            if family["special"] == "adult":
                child = family["children"][0]
                rep_id += 1
                me = {"first": child["first"], "last": child["last"], "title": child["title"], "code": "70"}
                me.update(mobile=family["parents"][0]["mobile"], mail="", jointure=str(rep_id), degree="2D")
                me["children"] = [child]
                records[("self",)] = me
                links[0].append(me["jointure"])
                highlights.adult_pupil, highlights.adult_pupil_rep = child["jointure"], me["jointure"]
            for record in records.values():
                writer.representative(record)
            for c, child in enumerate(family["children"]):
                writer.pupil(child, [r for r in records.values() if r["jointure"] in links[c]], int(child["jointure"]))
            pupils += len(family["children"])
            reps += len(records)
            self._highlight(highlights, family, list(records.values()))
        return Export(writer.close(), self.schools, pupils, reps, highlights)

    def write_delta(self, out_dir: str | Path, every: int = 100, prefix: str = "ENT", date: str | None = None) -> int:
        """Write a ``_Delta_`` export changing ~1/``every`` of the persons of ``write()``'s export.

        Every ``every``-th pupil changes class, every ``every``-th representative changes
        mobile number, and one pupil in ``10 * every`` leaves (deleteRequest). Returns the
        number of requests written.
        """
        date = date or f"{self.year}0902"
        writer = AafWriter(Path(out_dir), prefix, date, "Delta")
        rng, count = random.Random(self.seed), 0
        pupil_id, rep_id = 10_000_000, 20_000_000
        for family in self._people(rng):
            for child in family["children"]:
                pupil_id += 1
                degree = child["school"].degree
                if pupil_id % (10 * every) == 5:
                    writer.write(degree, "Eleve", request("Eleve", str(pupil_id), [], op="delete"))
                elif pupil_id % every == 0:
                    name = "ENTPersonClasses" if degree == "1D" else "ENTEleveClasses"
                    letter = "ABCD"[("ABCD".index(child["letter"]) + 1) % 4]
                    value = f"{child['school'].jointure}${child['level_code']}{letter}"
                    writer.write(degree, "Eleve", request("Eleve", str(pupil_id), [(name, value)], op="modify"))
                else:
                    continue
                count += 1
            # Representatives are numbered as write() numbers them; only their count matters here.
            for _ in range(self._record_count(family)):
                rep_id += 1
                if rep_id % every == 0:
                    mobile = f"07 {rep_id % 100:02d} {rep_id // 100 % 100:02d} 00 {every % 100:02d}"
                    degree = family["children"][0]["school"].degree
                    attrs = [("ENTPersonMobileSMS" if degree == "2D" else "mobile", mobile)]
                    writer.write(degree, "PersRelEleve", request("PersRelEleve", str(rep_id), attrs, op="modify"))
                    count += 1
        writer.close()
        return count

    @staticmethod
    def _record_count(family: dict) -> int:
        keys = {
            (p, c["school"].degree, c["school"].jointure if family["split"] else "")
            for c in family["children"]
            for p in range(len(family["parents"]))
        }
        return len(keys) + (family["special"] == "adult")

    @staticmethod
    def _highlight(h: Highlights, family: dict, records: list[dict]) -> None:
        special, kids = family["special"], [c["jointure"] for c in family["children"]]
        if special == "siblings":
            h.siblings, h.siblings_parent = kids, records[0]["jointure"]
        elif special == "refusal":
            h.refused_rep, h.refused_pupil = records[0]["jointure"], kids[0]
        elif special == "joint":
            h.joint = [r["jointure"] for r in records[:2]]
        elif special == "homonym":
            h.homonyms.append(next(r["jointure"] for r in records if r["first"] == "Philippe"))
        elif family["split"] and not h.split_parent:
            mothers = [r["jointure"] for r in records if r["code"] == "10"]
            h.split_parent = mothers if len(mothers) > 1 else []


def generate(out_dir: str | Path, n: int, seed: int = 0, schools: list[School] | None = None) -> Export:
    """Write a synthetic full export of ``n`` pupils into ``out_dir``."""
    return Generator(n, seed, schools).write(out_dir)

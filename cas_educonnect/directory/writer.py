"""Writes AAF files (``ficAlimMENESR``) the way academies deliver them, for the generator.

2nd-degree files in UTF-8 with the 2D attribute names, 1st-degree files in ISO-8859-15
with the 1D names; ``<prefix><degree>_<Complet|Delta>_<date>_<Type>_<NNNN>.xml``, a new
file every ``per_file`` records.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

PER_FILE = 100_000
ENCODING = {"1D": "ISO-8859-15", "2D": "UTF-8"}
CATEGORY_ATTR = {"EtabEducNat": "categorieStructure", "MefEducNat": "categorieMef"}


def _attr(name: str, values) -> str:
    if isinstance(values, str):
        values = [values]
    inner = "".join(f"<value>{escape(v)}</value>" if v else "<value/>" for v in values) or "<value/>"
    return f"<attr name={quoteattr(name)}>{inner}</attr>"


def request(category: str, jointure: str, attrs: list[tuple[str, object]], op: str = "add") -> str:
    """One request element; ``attrs`` are ``(name, value or [values])`` pairs."""
    kind = CATEGORY_ATTR.get(category, "categoriePersonne")
    head = (
        f"<{op}Request><operationalAttributes>{_attr(kind, category)}</operationalAttributes>"
        f"<identifier><id>{escape(jointure)}</id></identifier>"
    )
    if op == "add":
        body = "<attributes>" + "".join(_attr(n, v) for n, v in attrs) + "</attributes>"
    elif op == "modify":
        body = "<modifications>" + "".join(
            f'<modification name={quoteattr(n)} operation="replace">{_attr(n, v)[len(n) + 13 : -7]}</modification>'
            for n, v in attrs
        )
        body += "</modifications>"
    else:
        body = ""
    return f"{head}{body}</{op}Request>\n"


class _File:
    def __init__(self, path: Path, degree: str) -> None:
        self.path, self.encoding = path, ENCODING[degree]
        self.handle = path.open("w", encoding=self.encoding, errors="xmlcharrefreplace", newline="\n")
        self.handle.write(
            f'<?xml version="1.0" encoding="{self.encoding}"?>\n'
            '<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n<ficAlimMENESR>\n'
            f'<!-- degre="{degree}" -->\n'
        )
        self.count = 0

    def write(self, text: str) -> None:
        self.handle.write(text)
        self.count += 1

    def close(self) -> None:
        self.handle.write("</ficAlimMENESR>\n")
        self.handle.close()


class AafWriter:
    """Open files per (degree, type), rolled over every ``per_file`` records."""

    def __init__(self, out: Path, prefix: str, date: str, kind: str = "Complet", per_file: int = PER_FILE) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.out, self.prefix, self.date, self.kind, self.per_file = out, prefix, date, kind, per_file
        self.files: dict[tuple[str, str], _File] = {}
        self.numbers: dict[tuple[str, str], int] = {}
        self.paths: list[Path] = []

    def write(self, degree: str, category: str, text: str) -> None:
        key = (degree, category)
        current = self.files.get(key)
        if current is None or current.count >= self.per_file:
            if current is not None:
                current.close()
            number = self.numbers[key] = self.numbers.get(key, -1) + 1
            name = f"{self.prefix}{degree}_{self.kind}_{self.date}_{category}_{number:04d}.xml"
            current = self.files[key] = _File(self.out / name, degree)
            self.paths.append(current.path)
        current.write(text)

    def close(self) -> list[Path]:
        for handle in self.files.values():
            handle.close()
        self.files.clear()
        return self.paths

    # -- records of the generator ---------------------------------------------------
    def structures(self, schools, levels) -> None:
        for school in schools:
            classes = [f"{lvl}{letter}${lvl} {letter}" for lvl, _mef in levels[school.kind] for letter in "ABCD"]
            attrs = [
                ("ENTStructureJointure", school.jointure),
                ("ENTStructureUAI", school.uai),
                ("ENTStructureNomCourant", f"{school.kind.upper()}${school.name}${school.city}"),
                (
                    "ENTStructureTypeStruct",
                    {"ecole": "ECOLE PRIMAIRE", "college": "COLLEGE", "lycee": "LYCEE"}[school.kind],
                ),
                ("street", f"{len(school.name)} rue de l'École"),
                ("postalCode", "56000"),
                ("l", school.city),
                ("telephoneNumber", "+33 2 97 00 00 00"),
                ("ENTStructureMailSI", f"ce.{school.uai.lower()}@ac-demo.fr"),
                ("ENTServAcCodeAcademie", "014"),
                ("ENTStructureClasses", classes),
            ]
            self.write(school.degree, "EtabEducNat", request("EtabEducNat", school.jointure, attrs))
        for kind in ("college", "lycee"):
            for level, code in levels[kind]:
                attrs = [("ENTMefJointure", code), ("ENTLibelleMef", level), ("ENTMEFSTAT11", code)]
                self.write("2D", "MefEducNat", request("MefEducNat", code, attrs))

    def representative(self, rep: dict) -> None:
        first_degree = rep["degree"] == "1D"
        names = ("ENTPersonNom", "ENTPersonPrenom", "ENTPersonCivilite", "ENTPersonMail")
        names = names if first_degree else ("sn", "givenName", "personalTitle", "mail")
        attrs = [
            ("ENTPersonJointure", rep["jointure"]),
            (names[0], rep["last"].upper()),
            (names[1], rep["first"]),
            (names[2], rep["title"]),
            (names[3], rep["mail"]),
            ("ENTPersonMobileSMS" if not first_degree else "mobile", rep["mobile"]),
            ("ENTPersonAdresse", f"{len(rep['first'])} place de la Mairie$$$"),
            ("ENTPersonCodePostal", "56000"),
            ("ENTPersonVille", "VANNES"),
            ("ENTPersonPays", "FRANCE"),
        ]
        self.write(rep["degree"], "PersRelEleve", request("PersRelEleve", rep["jointure"], attrs))

    def pupil(self, child: dict, reps: list[dict], number: int) -> None:
        school, first_degree = child["school"], child["school"].degree == "1D"
        level, mef = child["level_code"], child["mef"]
        division = f"{school.jointure}${level}{child['letter']}"
        attrs = [
            ("ENTPersonJointure", child["jointure"]),
            ("ENTEleveINE", f"{number % 10**9:09d}{'ABCDEFGHJK'[number % 10]}{'KLMNPRSTUV'[number // 10 % 10]}"),
            ("ENTEleveStructRattachId", str(500000 + number % 500000)),
            ("ENTPersonDateNaissance", child["born"].strftime("%d/%m/%Y")),
            ("ENTPersonStructRattach", school.jointure),
        ]
        if first_degree:
            attrs += [
                ("ENTPersonNom", child["last"].upper()),
                ("ENTPersonPrenom", child["first"]),
                ("ENTPersonClasses", division),
                ("ENTEleveNiveau", level),
                (
                    "ENTEleveAutoriteParentale",
                    [f"{r['jointure']}${r['code']}" for r in reps if r.get("legal", "1") == "1"],
                ),
            ]
        else:
            relations = [f"{r['jointure']}${r['code']}$1${r.get('legal', '1')}$1$0" for r in reps]
            attrs += [
                ("sn", child["last"].upper()),
                ("givenName", child["first"]),
                ("personalTitle", child["title"]),
                ("ENTElevePersRelEleve", relations),
                ("ENTEleveMEF", mef),
                ("ENTEleveLibelleMEF", level),
                ("ENTEleveRegime", "DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT" if number % 3 else "EXTERNE LIBRE"),
                ("ENTEleveClasses", division),
                ("ENTEleveGroupes", [f"{school.jointure}$ESP-{level}"] if number % 4 == 0 else []),
            ]
        self.write(school.degree, "Eleve", request("Eleve", child["jointure"], attrs))

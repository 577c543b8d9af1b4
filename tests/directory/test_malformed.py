"""Every malformed input stops the run with ``file:line: message`` and leaves the database as it was."""

import io

import pytest
from django.core.management import CommandError, call_command

from .aaf import HEAD, pupil, rep, school, snapshot, write

pytestmark = pytest.mark.django_db

NAME = "ENT_Complet_20260901_Eleve_0000.xml"


@pytest.fixture
def loaded(tmp_path):
    """A small academy already imported: failures must leave it exactly as it is."""
    base = tmp_path / "base"
    base.mkdir()
    write(base, "ENT_Complet_20260901_EtabEducNat_0000.xml", [school("100")])
    write(base, "ENT_Complet_20260901_PersRelEleve_0000.xml", [rep("R1"), rep("R2", first="Anne")])
    write(base, NAME, [pupil("E1", "100", ["R1"]), pupil("E2", "100", ["R2"], first="Tom")])
    call_command("educonnect_import_aaf", str(base), stdout=io.StringIO())
    return base


def _export(tmp_path, eleve: bytes, extra_reps=()):
    """A new full export: valid schools and representatives, then the given Eleve file."""
    folder = tmp_path / "bad"
    folder.mkdir()
    write(folder, "ENT_Complet_20260902_EtabEducNat_0000.xml", [school("100")])
    write(folder, "ENT_Complet_20260902_PersRelEleve_0000.xml", [rep("R1"), rep("R2", first="Anne"), *extra_reps])
    (folder / NAME.replace("0901", "0902")).write_bytes(eleve)
    return folder


GOOD = [pupil("E1", "100", ["R1"]), pupil("E3", "100", ["R2"], first="Zoé")]


UTF8_HEAD = HEAD.format(enc="UTF-8")


def _doc(*records, head=UTF8_HEAD, tail="</ficAlimMENESR>\n") -> bytes:
    return (head + "".join(records) + tail).encode()


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE ficAlimMENESR [\n <!ENTITY lol "lol">\n'
    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n<ficAlimMENESR>\n'
)
XXE = '<?xml version="1.0"?>\n<!DOCTYPE ficAlimMENESR [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<ficAlimMENESR>\n'
UNKNOWN = (
    '<addRequest><operationalAttributes><attr name="categoriePersonne"><value>Martien</value></attr>'
    "</operationalAttributes><identifier><id>X1</id></identifier><attributes>"
    '<attr name="sn"><value>X</value></attr></attributes></addRequest>\n'
)
NO_ID = UNKNOWN.replace("Martien", "Eleve").replace("<id>X1</id>", "<id></id>")

CASES = {
    "truncated": (_doc(*GOOD, tail="")[:-40], "XML error"),
    "billion laughs": (_doc(*GOOD, head=BILLION_LAUGHS).replace(b"MARTIN", b"&lol3;"), "internal subset"),
    "xxe": (_doc(*GOOD, head=XXE).replace(b"MARTIN", b"&xxe;"), "internal subset"),
    "undeclared entity": (_doc(*GOOD).replace(b"MARTIN", b"&xxe;"), "entity references refused"),
    "wrong encoding": (_doc(*GOOD).replace("Zoé".encode(), "Zoé".encode("latin-1")), "XML error"),
    "utf-16": (_doc(*GOOD).decode().replace("UTF-8", "UTF-16").encode("utf-16"), "unsupported encoding"),
    "dangling school": (_doc(GOOD[0], pupil("E4", "999", ["R1"])), "unknown school '999'"),
    "dangling representative": (_doc(GOOD[0], pupil("E4", "100", ["R7"])), "unknown representative 'R7'"),
    "duplicate ids": (_doc(GOOD[0], GOOD[1], pupil("E1", "100", ["R2"])), "duplicate Eleve id 'E1'"),
    "unknown category": (_doc(GOOD[0], UNKNOWN), "unknown category 'Martien'"),
    "missing id": (_doc(GOOD[0], NO_ID), "without identifier/id"),
    "bad date": (_doc(GOOD[0], pupil("E4", "100", ["R1"], born="31/02/2012")), "unparsable date '31/02/2012'"),
    "bad legal status": (_doc(pupil("E4", "100", ["R1$10$1$7$1$0"])), "legal status must be 0, 1 or 2"),
    "not aaf": (b'<?xml version="1.0"?><html><body/></html>', "not an AAF file"),
}


@pytest.mark.parametrize("case", CASES)
def test_malformed_input_changes_nothing(loaded, tmp_path, case):
    content, message = CASES[case]
    folder = _export(tmp_path, content)
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("educonnect_import_aaf", str(folder), stdout=io.StringIO(), stderr=err)
    assert failure.value.returncode == 1
    line = err.getvalue().splitlines()[0]
    assert line.startswith(str(folder / NAME.replace("0901", "0902")) + ":")
    assert line.split(":", 2)[1].isdigit()
    assert message in line
    assert snapshot() == before


def test_error_line_points_at_the_record(loaded, tmp_path):
    folder = _export(tmp_path, _doc(GOOD[0], GOOD[1], pupil("E4", "999", ["R1"])))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("educonnect_import_aaf", str(folder), stdout=io.StringIO(), stderr=err)
    assert f"{NAME.replace('0901', '0902')}:6: unknown school" in err.getvalue()


def test_real_doctype_with_external_dtd_imports_without_fetching_it(loaded, tmp_path):
    # The DTD named by the DOCTYPE does not exist anywhere: it must never be loaded.
    folder = _export(tmp_path, _doc(*GOOD))
    out = io.StringIO()
    call_command("educonnect_import_aaf", str(folder), stdout=out)
    assert "changes:" in out.getvalue()

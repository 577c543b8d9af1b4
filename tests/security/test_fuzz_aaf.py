"""Fuzz pass over the AAF importer: whatever the bytes, it imports or raises its own ImportFailure.

Hypothesis mutates a valid export (byte flips, cuts, insertions of XML-significant text) and
also writes records whose every value is arbitrary text. Any other exception (a crash of
lxml, a KeyError, an IntegrityError...) fails the test with the input that caused it.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cas_educonnect.directory.base import ImportFailure
from cas_educonnect.directory.importer import import_paths
from tests.directory.aaf import HEAD, pupil, rep, school

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADER = HEAD.format(enc="UTF-8")
VALID = {
    "EtabEducNat": [school("100")],
    "PersRelEleve": [rep("R1"), rep("R2", first="Anne")],
    "Eleve": [pupil("E1", "100", ["R1"]), pupil("E2", "100", ["R2"], first="Tom")],
}
NASTY = ["<", ">", "&", "&amp;", "]]>", "<!--", '"', "\x00", "\ufffe", "$", "é", "<value>", "</attr>", "\n"]
_counter = itertools.count()


def import_files(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory(prefix="aaf-fuzz-") as tmp:
        folder = Path(tmp)
        for kind, body in files.items():
            (folder / f"ENT_Complet_20260901_{kind}_{next(_counter):04d}.xml").write_bytes(body)
        import_or_fail_cleanly(folder)


def valid_bytes(kind: str) -> bytes:
    return (HEADER + "".join(VALID[kind]) + "</ficAlimMENESR>\n").encode()


def import_or_fail_cleanly(folder: Path) -> None:
    try:
        import_paths([folder])
    except ImportFailure as failure:
        assert str(failure)  # "file:line: message" for the operator


@st.composite
def mutated(draw) -> bytes:
    body = bytearray(valid_bytes(draw(st.sampled_from(sorted(VALID)))))
    for _ in range(draw(st.integers(1, 6))):
        if not body:
            break
        where = draw(st.integers(0, len(body) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if action == "flip":
            body[where] = draw(st.integers(0, 255))
        elif action == "cut":
            del body[where : where + draw(st.integers(1, 40))]
        elif action == "insert":
            text = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)))
            body[where:where] = text.encode("utf-8", "surrogatepass")
        else:
            del body[where:]
    return bytes(body)


@FUZZ
@given(body=mutated(), kind=st.sampled_from(sorted(VALID)))
def test_mutated_exports_only_raise_import_failures(body, kind):
    files = {k: valid_bytes(k) for k in VALID}
    files[kind] = body
    import_files(files)


VALUE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30).map(
    lambda s: s.replace("&", "&amp;").replace("<", "&lt;")
)


@FUZZ
@given(last=VALUE, first=VALUE, born=VALUE, mobile=VALUE, mail=VALUE, division=VALUE)
def test_arbitrary_values_only_raise_import_failures(last, first, born, mobile, mail, division):
    files = {
        "EtabEducNat": valid_bytes("EtabEducNat"),
        "PersRelEleve": (HEADER + rep("R1", last=last, first=first, mobile=mobile, mail=mail) + "</ficAlimMENESR>\n"),
        "Eleve": (HEADER + pupil("E1", "100", ["R1"], last=last, born=born, division=division) + "</ficAlimMENESR>\n"),
    }
    import_files({k: v if isinstance(v, bytes) else v.encode() for k, v in files.items()})

"""CI only: the importer against the public AAF format samples beside the repository.

The samples (AGPL, Open ENT NG) are read in place from ``../shared/aaf-samples`` and never
copied into the project; without them the test skips.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cas_educonnect.directory.parser import parse
from cas_educonnect.directory.sources import collect_sources
from cas_educonnect.models import Establishment, Pupil

ROOT = Path(__file__).resolve().parents[2]
CANDIDATES = [ROOT.parent / "shared" / "aaf-samples", ROOT.parent.parent / "shared" / "aaf-samples"]
SAMPLES = next((path for path in CANDIDATES if path.is_dir()), None)

pytestmark = [
    pytest.mark.skipif(SAMPLES is None, reason="../shared/aaf-samples is absent (CI-only check)"),
    pytest.mark.django_db,
]


def _import(*paths, **options):
    out = io.StringIO()
    call_command(
        "educonnect_import_aaf", *map(str, paths), "--format", "json", stdout=out, stderr=io.StringIO(), **options
    )
    return json.loads(out.getvalue())


def test_every_sample_parses_despite_its_doctype():
    sources = collect_sources([SAMPLES])
    assert {s.category for s in sources} >= {"EtabEducNat", "Eleve", "PersEducNat"}
    for source in sources:
        records = list(parse(source))
        assert records and all(r.jointure for r in records), source.name


def test_2024_school_and_staff_files():
    folder = SAMPLES / "entcore-aaf-2024-positions"
    before = [p for p in sorted(folder.iterdir()) if p.name.startswith("before_")]
    summary = _import(*before)
    assert summary["types"]["EtabEducNat"]["created"] == 1
    assert summary["types"]["PersEducNat"]["skipped"] >= 1
    school = Establishment.objects.get()
    assert school.uai == "0123456A" and school.degree == "2D" and school.city == "PARIS"
    assert _import(*before)["changes"] == 0


def test_2020_pupil_points_to_a_school_the_sample_lacks():
    folder = SAMPLES / "entcore-aaf-2020"
    with pytest.raises(CommandError):
        _import(folder)
    assert not Establishment.objects.exists()
    summary = _import(folder, skip_invalid=True)
    assert summary["types"]["EtabEducNat"]["created"] == 1  # ISO-8859-15, an ECOLE
    assert Establishment.objects.get().degree == "1D"
    assert not Pupil.objects.exists()
    assert (
        summary["invalid"] and "Eleve_0000.xml:" in summary["invalid"][0] and "unknown school" in summary["invalid"][0]
    )

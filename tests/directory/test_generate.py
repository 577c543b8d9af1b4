import hashlib

from cas_educonnect.directory.generate import Generator
from cas_educonnect.directory.parser import parse
from cas_educonnect.directory.sources import collect_sources


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_other_academy(tmp_path):
    Generator(200, seed=7).write(tmp_path / "a")
    Generator(200, seed=7).write(tmp_path / "b")
    Generator(200, seed=8).write(tmp_path / "c")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_sizes_degrees_and_encodings(tmp_path):
    export = Generator(2000, seed=1).write(tmp_path)
    assert export.pupils == 2000
    assert 1.35 <= export.representatives / export.pupils <= 1.65
    assert {s.degree for s in export.schools} == {"1D", "2D"}
    heads = {p.name: p.read_bytes()[:60] for p in export.paths}
    assert all(b"ISO-8859-15" in head for name, head in heads.items() if name.startswith("ENT1D"))
    assert all(b"UTF-8" in head for name, head in heads.items() if name.startswith("ENT2D"))
    records = [r for s in collect_sources([tmp_path]) for r in parse(s)]
    names = [
        (r.first("givenName", "ENTPersonPrenom"), r.first("sn", "ENTPersonNom"))
        for r in records
        if r.category == "PersRelEleve"
    ]
    assert len(set(names)) < len(names) * 0.9  # plenty of homonyms


def test_delta_touches_about_one_percent(tmp_path):
    generator = Generator(3000, seed=4)
    export = generator.write(tmp_path / "full")
    written = generator.write_delta(tmp_path / "delta")
    persons = export.pupils + export.representatives
    assert 0.005 * persons <= written <= 0.02 * persons

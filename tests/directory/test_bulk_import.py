"""Import semantics the COPY writer (PostgreSQL) must share with the row writer, and its cost.

Each test runs on the database of the suite (SQLite: the row writer; PostgreSQL: COPY into
staging tables and set-based merges), except the statement count, a COPY writer promise.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cas_educonnect.directory.base import ImportFailure
from cas_educonnect.directory.importer import import_paths
from cas_educonnect.directory.store import copy as copy_store
from cas_educonnect.directory.store import rows as row_store
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

from .aaf import pupil, rep, school, snapshot, write

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the COPY writer is PostgreSQL's")


def export(folder, pupils, reps, name="ENT_Complet_20260901"):
    folder.mkdir(parents=True, exist_ok=True)
    write(folder, f"{name}_EtabEducNat_0000.xml", [school("100", "0561641E"), school("200", "0561642F", "LYCEE")])
    write(folder, f"{name}_PersRelEleve_0000.xml", reps)
    write(folder, f"{name}_Eleve_0000.xml", pupils)
    return folder


def academy(folder, n, name="ENT_Complet_20260901"):
    """``n`` pupils, each with his own representative, in two schools."""
    reps = [rep(f"R{i:05d}", first=f"Paul{i}") for i in range(n)]
    pupils = []
    for i in range(n):
        where = "100" if i % 2 else "200"
        groups = [f"{where}$G{i % 3}"]
        pupils.append(pupil(f"E{i:05d}", where, [f"R{i:05d}"], first=f"Léa{i % 7}", ENTEleveGroupes=groups))
    return export(folder, pupils, reps, name)


def test_reimport_is_idempotent_and_writes_nothing(tmp_path):
    folder = academy(tmp_path / "a", 30)
    first = import_paths([folder])
    assert first.types["Eleve"].created == 30 and first.accounts_created == 60
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        again = import_paths([folder])
    assert again.changes == 0 and again.types["Eleve"].unchanged == 30
    assert snapshot() == before
    sql = [q["sql"].lstrip().upper() for q in queries]
    writes = [s for s in sql if s.startswith(("INSERT", "UPDATE", "DELETE")) or "FROM STDIN" in s]
    assert writes == []


def test_full_export_without_a_person_closes_him_and_his_links_then_he_comes_back(tmp_path):
    reps = [rep("R1"), rep("R2", first="Anne")]
    import_paths([export(tmp_path / "a", [pupil("E1", "100", ["R1"]), pupil("E2", "100", ["R2"], first="Tom")], reps)])
    summary = import_paths([export(tmp_path / "b", [pupil("E1", "100", ["R1"])], [rep("R1")], "ENT_Complet_20260902")])
    assert summary.types["Eleve"].deleted == 1 and summary.types["PersRelEleve"].deleted == 1
    assert summary.links.deleted == 1
    assert Pupil.objects.get(jointure="E2").left_at is not None
    assert Representative.objects.get(jointure="R2").left_at is not None
    assert RepresentativeLink.objects.get(pupil__jointure="E2").closed_at is not None
    assert Pupil.objects.get(jointure="E1").left_at is None
    assert RepresentativeLink.objects.get(pupil__jointure="E1").closed_at is None
    # Back in the next export: the same rows reopen, the same accounts stay.
    accounts = set(Account.objects.values_list("pk", flat=True))
    back = import_paths([tmp_path / "a"])
    assert back.types["Eleve"].updated == 1 and back.links.updated == 1 and back.accounts_created == 0
    assert Pupil.objects.get(jointure="E2").left_at is None
    assert RepresentativeLink.objects.get(pupil__jointure="E2").closed_at is None
    assert set(Account.objects.values_list("pk", flat=True)) == accounts


def test_unchanged_pupils_still_mark_their_school_as_covered(tmp_path):
    """A full export of persons without its school file covers its pupils' schools, those of
    unchanged pupils too: a pupil of such a school it no longer lists is gone."""
    reps = [rep("R1"), rep("R2", first="Anne")]
    import_paths([export(tmp_path / "a", [pupil("E1", "100", ["R1"]), pupil("E2", "100", ["R2"], first="Tom")], reps)])
    later = tmp_path / "b"
    later.mkdir()
    write(later, "ENT_Complet_20260902_PersRelEleve_0000.xml", [rep("R1")])
    write(later, "ENT_Complet_20260902_Eleve_0000.xml", [pupil("E1", "100", ["R1"])])
    summary = import_paths([later])
    assert summary.types["Eleve"].unchanged == 1 and summary.types["Eleve"].deleted == 1
    assert Pupil.objects.get(jointure="E2").left_at is not None


def test_records_of_one_person_apply_in_the_order_they_are_read(tmp_path):
    """A delete then the same, unchanged, add: the person stays (the add comes last)."""
    import_paths([export(tmp_path / "a", [pupil("E1", "100", ["R1"])], [rep("R1")])])
    delta = tmp_path / "delta"
    delta.mkdir()
    write(delta, "ENT_Delta_20260902_PersRelEleve_0000.xml", [rep("R1", op="delete"), rep("R1")])
    import_paths([delta])
    assert Representative.objects.get(jointure="R1").left_at is None
    assert RepresentativeLink.objects.get(representative__jointure="R1").closed_at is None


def test_delta_delete_of_a_representative_closes_his_links(tmp_path):
    reps = [rep("R1"), rep("R2", first="Anne")]
    import_paths([export(tmp_path / "a", [pupil("E1", "100", ["R1", "R2"])], reps)])
    delta = tmp_path / "delta"
    delta.mkdir()
    gone = rep("R2", op="delete")
    write(delta, "ENT_Delta_20260902_PersRelEleve_0000.xml", [gone])
    summary = import_paths([delta])
    assert summary.types["PersRelEleve"].deleted == 1 and summary.links.deleted == 1
    assert RepresentativeLink.objects.get(representative__jointure="R2").closed_at is not None
    assert RepresentativeLink.objects.get(representative__jointure="R1").closed_at is None
    assert import_paths([delta]).changes == 0


def test_identifiers_skip_existing_accounts_used_ones_and_clashing_spellings(tmp_path, account_factory):
    account_factory(identifier="lea.martin")  # made by hand: no UsedIdentifier row
    UsedIdentifier.objects.create(identifier="lea.martin1", base="lea.martin")
    UsedIdentifier.objects.create(identifier="lea.martin2", base="lea.martin2")
    # E0's own base is "lea.martin5", a spelling the homonyms of "lea.martin" reach too.
    pupils = [pupil("E0", "100", ["R1"], last="MARTIN5")]
    pupils += [pupil(f"E{i}", "100", ["R1"]) for i in (1, 2, 3)]
    import_paths([export(tmp_path / "a", pupils, [rep("R1", first="Jean", last="DURAND")])])
    got = dict(Account.objects.filter(pupils__isnull=False).values_list("pupils__jointure", "identifier"))
    assert got == {"E0": "lea.martin5", "E1": "lea.martin3", "E2": "lea.martin4", "E3": "lea.martin6"}
    assert Account.objects.get(representatives__jointure="R1").identifier == "jean.durand"
    assert set(got.values()) <= set(UsedIdentifier.objects.values_list("identifier", flat=True))
    assert UsedIdentifier.objects.get(identifier="lea.martin6").base == "lea.martin"


def _boom(self):
    self.flush()
    raise RuntimeError("disk full")


@pytest.mark.parametrize("where", ["accounts", "last file"])
def test_a_failure_late_in_the_run_rolls_everything_back(tmp_path, monkeypatch, where):
    import_paths([academy(tmp_path / "a", 20)])
    before = snapshot()
    tables = [m.objects.count() for m in (Establishment, Mef, Division, Group)]
    folder = academy(tmp_path / "b", 25, "ENT_Complet_20260902")
    if where == "accounts":
        monkeypatch.setattr(copy_store.CopyWriter, "provision", _boom)
        monkeypatch.setattr(row_store.RowWriter, "provision", _boom)
        with pytest.raises(RuntimeError, match="disk full"):
            import_paths([folder])
    else:  # representatives are merged when the bad pupil is read
        bad = [pupil(f"E{i:05d}", "100", ["R99999" if i == 24 else f"R{i:05d}"]) for i in range(25)]
        write(folder, "ENT_Complet_20260902_Eleve_0000.xml", bad)
        with pytest.raises(ImportFailure, match="unknown representative 'R99999'"):
            import_paths([folder])
    assert snapshot() == before
    assert [m.objects.count() for m in (Establishment, Mef, Division, Group)] == tables
    monkeypatch.undo()
    assert import_paths([tmp_path / "a"]).changes == 0


def _statements(folder) -> int:
    for model in (Account, UsedIdentifier, RepresentativeLink, Pupil, Representative, Group, Division, Mef):
        model.objects.all().delete()
    Establishment.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        summary = import_paths([folder])
    assert summary.accounts_created == 2 * summary.types["Eleve"].created
    return len(queries)


@postgres_only
def test_statements_do_not_grow_with_the_number_of_persons(tmp_path):
    small = _statements(academy(tmp_path / "small", 20))
    large = _statements(academy(tmp_path / "large", 2500, "ENT_Complet_20260902"))
    assert small == large
    assert small < 120


def test_command_reports_progress_as_plain_lines_off_a_terminal(tmp_path):
    import io
    import json

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    call_command("educonnect_import_aaf", str(academy(tmp_path / "a", 12)), "--format", "json", stdout=out, stderr=err)
    assert json.loads(out.getvalue())["types"]["Eleve"]["created"] == 12  # stdout stays one JSON document
    last = err.getvalue().splitlines()[-1]
    assert last.startswith("progress 100.0% records 26 rate ") and "eta 0s" in last, last


def test_a_first_import_keeps_every_index_and_the_key_sequence(tmp_path, account_factory):
    tables = [Account._meta.db_table, Account.pupils.through._meta.db_table, UsedIdentifier._meta.db_table]

    def indexes():
        with connection.cursor() as cursor:
            return {t: sorted(connection.introspection.get_constraints(cursor, t)) for t in tables}

    before = indexes()
    summary = import_paths([academy(tmp_path / "a", 15)])  # 30 accounts into an empty table
    assert summary.accounts_created == 30 and indexes() == before
    assert account_factory(identifier="after.import").pk > max(
        Account.objects.exclude(identifier="after.import").values_list("pk", flat=True)
    )

import io
import json
import tarfile
import zipfile

import pytest
from django.core.management import call_command

from cas_educonnect.directory.base import ImportFailure
from cas_educonnect.directory.generate import generate
from cas_educonnect.directory.importer import import_paths
from cas_educonnect.models import Account, AccountKind, AccountState, Pupil, Representative, RepresentativeLink

from .aaf import pupil, rep, school, snapshot, write

pytestmark = pytest.mark.django_db


def run(*paths, **kwargs):
    out = io.StringIO()
    call_command("educonnect_import_aaf", *map(str, paths), "--format", "json", stdout=out, **kwargs)
    return json.loads(out.getvalue())


def test_generated_academy_imports_and_second_run_changes_nothing(tmp_path):
    export = generate(tmp_path / "aaf", 120, seed=3)
    first = run(tmp_path / "aaf")
    assert first["types"]["Eleve"]["created"] == export.pupils == Pupil.objects.count() == 120
    assert first["types"]["PersRelEleve"]["created"] == export.representatives == Representative.objects.count()
    assert first["types"]["EtabEducNat"]["created"] == 3
    assert Account.objects.filter(kind=AccountKind.PUPIL).count() == 120
    assert set(Account.objects.values_list("state", flat=True)) == {AccountState.NOT_NOTIFIED}
    assert first["accounts_created"] == Account.objects.count()
    # 1D pupils (ISO-8859-15 files, 1D attribute names) are there with their names and links.
    ecole = Pupil.objects.filter(establishment__degree="1D")
    assert ecole.exists() and not ecole.filter(last_name="").exists()
    assert RepresentativeLink.objects.filter(pupil__in=ecole).exists()

    before = snapshot()
    second = run(tmp_path / "aaf")
    assert second["changes"] == 0
    assert second["types"]["Eleve"]["unchanged"] == 120
    assert snapshot() == before


def test_showcases_of_the_generator(tmp_path):
    export = generate(tmp_path, 60, seed=5)
    import_paths([tmp_path])
    h = export.highlights
    siblings = Pupil.objects.filter(jointure__in=h.siblings)
    assert siblings.values("establishment").distinct().count() == 2
    parent = Account.objects.get(representatives__jointure=h.siblings_parent)
    assert set(Pupil.objects.filter(links__representative__accounts=parent).values_list("jointure", flat=True)) == set(
        h.siblings
    )
    # The adult pupil has two accounts: his pupil account and his own representative one.
    adult = Pupil.objects.get(jointure=h.adult_pupil)
    assert adult.accounts.count() == 1
    assert RepresentativeLink.objects.get(representative__jointure=h.adult_pupil_rep, pupil=adult).link_code == "70"
    assert Account.objects.filter(representatives__jointure=h.adult_pupil_rep).count() == 1
    # Homonyms get numbered identifiers; one human with records in two schools keeps two accounts.
    homonyms = sorted(
        Account.objects.filter(representatives__jointure__in=h.homonyms).values_list("identifier", flat=True)
    )
    assert homonyms == ["philippe.dupont", "philippe.dupont1"]
    if h.split_parent:
        assert Account.objects.filter(representatives__jointure__in=h.split_parent).count() == len(h.split_parent)


def _small(tmp_path, pupils, reps=("R1", "R2"), name="ENT_Complet_20260901"):
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    write(folder, f"{name}_EtabEducNat_0000.xml", [school("100", "0561641E"), school("200", "0561642F", "LYCEE")])
    write(folder, f"{name}_PersRelEleve_0000.xml", [rep(r, first=f"Paul{r}") for r in reps])
    write(folder, f"{name}_Eleve_0000.xml", pupils)
    return folder


def test_continuity_pupil_changing_school_keeps_account_and_leavers_links_close(tmp_path):
    first = _small(tmp_path, [pupil("E1", "100", ["R1"]), pupil("E2", "100", ["R2"], first="Tom")])
    run(first)
    account = Account.objects.get(pupils__jointure="E1")
    second = _small(tmp_path, [pupil("E1", "200", ["R1"], division="2NDE1")], name="ENT_Complet_20260902")
    summary = run(second)
    assert summary["types"]["Eleve"] == {"created": 0, "updated": 1, "deleted": 1, "unchanged": 0, "skipped": 0}
    moved = Pupil.objects.get(jointure="E1")
    assert moved.establishment.uai == "0561642F" and moved.division.code == "2NDE1"
    assert moved.accounts.get() == account
    gone = Pupil.objects.get(jointure="E2")
    assert gone.left_at is not None
    assert RepresentativeLink.objects.get(pupil=gone).closed_at is not None
    assert summary["links"]["deleted"] == 1
    assert run(second)["changes"] == 0


def test_representative_covering_children_in_two_schools_gets_one_account(tmp_path):
    folder = _small(tmp_path, [pupil("E1", "100", ["R1"]), pupil("E2", "200", ["R1"], first="Tom")], reps=["R1"])
    run(folder)
    account = Account.objects.get(kind=AccountKind.REPRESENTATIVE)
    assert account.identifier == "paulr1.martin"
    assert list(account.representatives.values_list("jointure", flat=True)) == ["R1"]


def test_person_in_charge_gets_an_account_only_behind_the_setting(tmp_path, settings):
    folder = _small(tmp_path, [pupil("E1", "100", ["R1$10$1$1$1$0", "R2$39$0$2$1$0"])])
    run(folder)
    assert not Account.objects.filter(representatives__jointure="R2").exists()
    settings.CAS_EDUCONNECT_IMPORT_PERSONS_IN_CHARGE = True
    assert run(folder)["accounts_created"] == 1
    assert Account.objects.filter(representatives__jointure="R2").exists()


def test_delta_add_modify_delete(tmp_path):
    run(_small(tmp_path, [pupil("E1", "100", ["R1"]), pupil("E2", "100", ["R2"], first="Tom")]))
    delta = tmp_path / "delta"
    delta.mkdir()
    write(delta, "ENT_Delta_20260902_PersRelEleve_0000.xml", [rep("R1", mobile="07 98 76 54 32", op="modify")])
    write(
        delta,
        "ENT_Delta_20260902_Eleve_0000.xml",
        [
            pupil("E3", "200", ["R1"], first="Zoé"),
            '<modifyRequest><operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr>'
            "</operationalAttributes><identifier><id>E1</id></identifier><modifications>"
            '<modification name="ENTEleveClasses" operation="replace"><value>100$4B</value></modification>'
            "</modifications></modifyRequest>",
            '<deleteRequest><operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr>'
            "</operationalAttributes><identifier><id>E2</id></identifier></deleteRequest>",
        ],
    )
    summary = run(delta)
    assert summary["types"]["Eleve"] == {"created": 1, "updated": 1, "deleted": 1, "unchanged": 0, "skipped": 0}
    assert summary["types"]["PersRelEleve"]["updated"] == 1
    assert str(Representative.objects.get(jointure="R1").mobile) == "+33798765432"
    e1 = Pupil.objects.get(jointure="E1")
    assert e1.division.code == "4B" and e1.last_name == "MARTIN" and e1.links.get().closed_at is None
    assert Pupil.objects.get(jointure="E2").left_at is not None
    assert Account.objects.filter(pupils__jointure="E3").exists()
    # A delta does not make absent persons leave.
    assert Pupil.objects.get(jointure="E1").left_at is None
    assert run(delta)["types"]["Eleve"]["updated"] == 0


@pytest.mark.parametrize("packing", ["zip", "tar.gz"])
def test_archives(tmp_path, packing):
    folder = _small(tmp_path, [pupil("E1", "100", ["R1"])])
    archive = tmp_path / f"export.{packing}"
    if packing == "zip":
        with zipfile.ZipFile(archive, "w") as zf:
            for path in sorted(folder.iterdir(), reverse=True):  # wrong order on purpose
                zf.write(path, f"export/{path.name}")
    else:
        with tarfile.open(archive, "w:gz") as tf:
            for path in sorted(folder.iterdir(), reverse=True):
                tf.add(path, f"export/{path.name}")
    summary = run(archive)
    assert summary["types"]["Eleve"]["created"] == 1 and summary["types"]["EtabEducNat"]["created"] == 2
    assert all("!export/" in name for name in summary["files"])


def test_first_degree_names_and_latin9(tmp_path):
    folder = tmp_path / "1d"
    folder.mkdir()
    write(folder, "ENT1D_Complet_20260901_EtabEducNat_0000.xml", [school("300", "0561643G", "ECOLE PRIMAIRE")])
    from cas_educonnect.directory.writer import request

    parent = request(
        "PersRelEleve",
        "P1",
        [
            ("ENTPersonNom", "LŒUVRE"),
            ("ENTPersonPrenom", "Hélène"),
            ("ENTPersonCivilite", "Mme"),
            ("mobile", "0611223344"),
        ],
    )
    child = request(
        "Eleve",
        "C1",
        [
            ("ENTPersonNom", "LŒUVRE"),
            ("ENTPersonPrenom", "Zoë"),
            ("ENTPersonDateNaissance", "01/09/2019"),
            ("ENTPersonStructRattach", "300"),
            ("ENTPersonClasses", "300$CP-A"),
            ("ENTEleveNiveau", "CP"),
            ("ENTEleveAutoriteParentale", "P1$2"),
        ],
    )
    write(folder, "ENT1D_Complet_20260901_PersRelEleve_0000.xml", [parent], encoding="ISO-8859-15")
    write(folder, "ENT1D_Complet_20260901_Eleve_0000.xml", [child], encoding="ISO-8859-15")
    run(folder)
    zoe = Pupil.objects.get(jointure="C1")
    assert (zoe.last_name, zoe.first_name, zoe.establishment.degree, zoe.mef.code) == ("LŒUVRE", "Zoë", "1D", "CP")
    link = zoe.links.get()
    assert link.representative.first_name == "Hélène" and link.legal == 1 and link.link_code == "2"
    assert set(Account.objects.values_list("identifier", flat=True)) == {"zoe.loeuvre", "helene.loeuvre"}


def test_staff_files_are_counted_and_skipped(tmp_path):
    folder = _small(tmp_path, [pupil("E1", "100", ["R1"])])
    from cas_educonnect.directory.writer import request

    write(folder, "ENT_Complet_20260901_PersEducNat_0000.xml", [request("PersEducNat", "S1", [("sn", "PROF")])] * 1)
    assert run(folder)["types"]["PersEducNat"]["skipped"] == 1


def test_skip_invalid_lists_bad_records_and_imports_the_rest(tmp_path):
    folder = _small(tmp_path, [pupil("E1", "100", ["R1"]), pupil("E2", "999", ["R2"]), pupil("E3", "100", ["R9"])])
    err = io.StringIO()
    summary = run(folder, skip_invalid=True, stderr=err)
    assert Pupil.objects.count() == 1
    assert summary["types"]["Eleve"]["skipped"] == 2
    assert len(summary["invalid"]) == 2
    assert "ENT_Complet_20260901_Eleve_0000.xml:5: unknown school '999'" in summary["invalid"][0]
    assert "unknown representative 'R9'" in summary["invalid"][1]
    assert err.getvalue().count("Eleve_0000.xml:") == 2


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(ImportFailure, match="no such file"):
        import_paths([tmp_path / "nope"])


def test_full_export_of_one_school_leaves_other_schools_alone(tmp_path, establishment_factory, pupil_factory):
    from cas_educonnect.models import RepresentativeLink as Link

    other = establishment_factory(uai="0759999F")
    outsider = pupil_factory(establishment=other, jointure="OUT1")
    parent = Representative.objects.create(jointure="OUTR", last_name="DUBOIS", first_name="Angela")
    Link.objects.create(representative=parent, pupil=outsider, link_code="10")
    folder = _small(tmp_path, [pupil("E1", "100", ["R1"])])
    run(folder)
    outsider.refresh_from_db()
    parent.refresh_from_db()
    assert outsider.left_at is None and parent.left_at is None
    assert Link.objects.get(pupil=outsider).closed_at is None
    assert run(folder)["changes"] == 0


def test_progress_reports_a_growing_fraction_of_the_bytes(tmp_path):
    generate(tmp_path, 40, seed=2)
    seen = []
    import_paths([tmp_path], progress=lambda name, fraction, records: seen.append(fraction))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 7


def test_refusals_recorded_by_staff_survive_the_next_imports(tmp_path):
    """002 §1.2: the school records a refusal; neither a full export nor a delta changing the
    person's record (AAF knows nothing of refusals) gives the access back."""
    run(_small(tmp_path, [pupil("E1", "100", ["R1"]), pupil("E2", "100", ["R2"], first="Tom")]))
    Pupil.objects.filter(jointure="E1").update(services_refused=True)
    Representative.objects.filter(jointure="R2").update(services_refused=True)
    # The next night: both records changed (new class, new mobile), in full then in a delta.
    full = tmp_path / "full2"
    full.mkdir()
    write(full, "ENT_Complet_20260902_EtabEducNat_0000.xml", [school("100", "0561641E")])
    write(
        full,
        "ENT_Complet_20260902_PersRelEleve_0000.xml",
        [rep("R1", first="PaulR1"), rep("R2", first="PaulR2", mobile="07 11 22 33 44")],
    )
    write(
        full,
        "ENT_Complet_20260902_Eleve_0000.xml",
        [pupil("E1", "100", ["R1"], division="4B"), pupil("E2", "100", ["R2"], first="Tom")],
    )
    summary = run(full)
    assert summary["types"]["Eleve"]["updated"] == 1 and summary["types"]["PersRelEleve"]["updated"] == 1
    delta = tmp_path / "delta"
    delta.mkdir()
    write(
        delta,
        "ENT_Delta_20260903_PersRelEleve_0000.xml",
        [rep("R2", first="PaulR2", mobile="07 98 76 54 32", op="modify")],
    )
    assert run(delta)["types"]["PersRelEleve"]["updated"] == 1
    e1, r2 = Pupil.objects.get(jointure="E1"), Representative.objects.get(jointure="R2")
    assert e1.division.code == "4B" and str(r2.mobile) == "+33798765432"
    assert e1.services_refused and r2.services_refused
    assert not Pupil.objects.get(jointure="E2").services_refused
    assert not Representative.objects.get(jointure="R1").services_refused

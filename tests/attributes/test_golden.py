"""Golden tests: the exact attributes each persona receives, provider by provider."""

from __future__ import annotations

import pytest

from cas_educonnect.attributes import release
from cas_educonnect.attributes.educonnect import EduConnectProvider, opaque_id
from cas_educonnect.attributes.ent import EntProvider
from cas_educonnect.attributes.identity import IdentityProvider
from cas_educonnect.attributes.subject import load_subject
from cas_educonnect.attributes.vector import VectorProvider


def provided(provider, identifier, person=None):
    subject = load_subject(identifier).scoped(person, strict=False)
    return {k: v for k, v in provider.attributes(subject).items() if v}


def ect(account):
    return opaque_id(account.pk)


def test_opaque_id_is_a_keyed_hmac_sha384(settings):
    settings.CAS_EDUCONNECT_OPAQUE_ID_KEY = "k"
    assert opaque_id(42) == (
        "f3bc72d62be4941b0f38374a7bfe2dc97ae15a3cad471474789ce0c265ec71c3817b2e5d7552dbd33938450e0d7c8321"
    )
    assert opaque_id(43) != opaque_id(42)
    settings.CAS_EDUCONNECT_OPAQUE_ID_KEY = "other"
    assert (
        opaque_id(42)
        != "f3bc72d62be4941b0f38374a7bfe2dc97ae15a3cad471474789ce0c265ec71c3817b2e5d7552dbd33938450e0d7c8321"
    )


class TestVector:
    def test_pupil_1d_and_2d_have_one_value_without_names(self, personas):
        assert provided(VectorProvider(), "tom.petit") == {"FrEduVecteur": ["3|||101|0790001A"]}
        assert provided(VectorProvider(), "ines.durand") == {"FrEduVecteur": ["4|||701294|0790031E"]}

    def test_pupil_names_behind_a_setting(self, personas, settings):
        settings.CAS_EDUCONNECT_VECTOR_PUPIL_NAMES = True
        assert provided(VectorProvider(), "ines.durand") == {"FrEduVecteur": ["4|Durand|Inès|701294|0790031E"]}

    def test_parent_of_three_children_in_two_schools(self, personas):
        assert provided(VectorProvider(), "paul.martin") == {
            "FrEduVecteur": [
                "1|Martin|Paul|1003|0790001A",
                "2|Martin|Paul|7001|0790031E",
                "2|Martin|Paul|7002|0790031E",
            ]
        }

    def test_adult_pupil_who_is_his_own_representative(self, personas):
        assert provided(VectorProvider(), "hugo.leroy") == {"FrEduVecteur": ["4|||8800|0790050B"]}
        assert provided(VectorProvider(), "hugo.leroy1") == {"FrEduVecteur": ["2|Leroy|Hugo|8800|0790050B"]}

    def test_joint_account_per_person_and_all(self, personas):
        marie, luc = (f"r{r.pk}" for r in personas.joint.representatives.order_by("pk"))
        assert provided(VectorProvider(), "marie.bernard", marie) == {"FrEduVecteur": ["2|Bernard|Marie|7100|0790031E"]}
        assert provided(VectorProvider(), "marie.bernard", luc) == {"FrEduVecteur": ["2|Bernard|Luc|7100|0790031E"]}
        assert provided(VectorProvider(), "marie.bernard") == {
            "FrEduVecteur": ["2|Bernard|Marie|7100|0790031E", "2|Bernard|Luc|7100|0790031E"]
        }

    def test_legacy_account(self, personas):
        assert provided(VectorProvider(), "nadia.roux") == {"FrEduVecteur": ["2|Roux|Nadia|7200|0790031E"]}

    def test_separator_and_line_breaks_never_reach_a_value(
        self, pupil_factory, representative_factory, account_factory, schools
    ):
        child = pupil_factory(struct_id="7|9\n", establishment=schools["college"])
        rep = representative_factory(children=[child], last_name="De|La\r\nTour", first_name=" Anne |\u2028Sophie ")
        account_factory(kind="representative", identifier="anne.delatour", representatives=[rep])
        assert provided(VectorProvider(), "anne.delatour") == {
            "FrEduVecteur": ["2|De La Tour|Anne Sophie|7 9|0790031E"]
        }

    def test_only_open_legal_links_of_pupils_still_here(
        self, pupil_factory, representative_factory, account_factory, schools, settings
    ):
        from django.utils import timezone

        college = schools["college"]
        kept = pupil_factory(struct_id="1", establishment=college)
        closed = pupil_factory(struct_id="2", establishment=college)
        left = pupil_factory(struct_id="3", establishment=college, left_at=timezone.now())
        not_legal = pupil_factory(struct_id="4", establishment=college)
        in_charge = pupil_factory(struct_id="5", establishment=college)
        no_id = pupil_factory(struct_id="", establishment=college)
        rep = representative_factory(children=[kept, closed, left, no_id], last_name="Roy", first_name="Eva")
        rep.links.filter(pupil=closed).update(closed_at=timezone.now())
        rep.links.create(pupil=not_legal, legal=0)
        rep.links.create(pupil=in_charge, legal=2)
        account_factory(kind="representative", identifier="eva.roy", representatives=[rep])
        assert provided(VectorProvider(), "eva.roy") == {"FrEduVecteur": ["2|Roy|Eva|1|0790031E"]}
        settings.CAS_EDUCONNECT_IMPORT_PERSONS_IN_CHARGE = True
        assert provided(VectorProvider(), "eva.roy") == {
            "FrEduVecteur": ["2|Roy|Eva|1|0790031E", "2|Roy|Eva|5|0790031E"]
        }

    def test_grouped_records_of_one_person_are_one_person(
        self, pupil_factory, representative_factory, account_factory, schools
    ):
        a = pupil_factory(struct_id="11", establishment=schools["college"])
        b = pupil_factory(struct_id="22", establishment=schools["lycee"])
        r1 = representative_factory(children=[a], jointure="RES-G1", last_name="Élie", first_name="Jean")
        r2 = representative_factory(children=[b], jointure="RES-G2", last_name="ELIE", first_name="jean")
        account_factory(kind="representative", identifier="jean.elie", representatives=[r1, r2])
        subject = load_subject("jean.elie")
        assert len(subject.persons) == 1 and not subject.needs_choice
        assert provided(VectorProvider(), "jean.elie") == {
            "FrEduVecteur": ["2|Élie|Jean|11|0790031E", "2|Élie|Jean|22|0790050B"]
        }
        assert provided(EntProvider(), "jean.elie")["ENTPersonJointure"] == ["AC-DEMO$RES-G1", "AC-DEMO$RES-G2"]


class TestEduConnect:
    def test_pupil_1d(self, personas):
        assert provided(EduConnectProvider(), "tom.petit") == {
            "FrEduCtPersonAffiliation": ["eleve1d"],
            "FrEduCtRefId": ["{AAF}DEMO|AC2D|ELV-TOM", "{ECT}" + ect(personas.pupil_1d)],
            "FrEduCtId": [ect(personas.pupil_1d)],
            "FrEduCtEleveUAI": ["0790001A"],
            "FrEduCtDateNaissance": ["2016-05-02"],
            "sn": ["Petit"],
            "givenName": ["Tom"],
        }

    def test_pupil_2d(self, personas):
        assert provided(EduConnectProvider(), "ines.durand") == {
            "FrEduCtPersonAffiliation": ["eleve2d"],
            "FrEduCtRefId": ["{AAF}DEMO|AC2D|ELV-INES", "{ECT}" + ect(personas.pupil_2d)],
            "FrEduCtId": [ect(personas.pupil_2d)],
            "FrEduCtEleveUAI": ["0790031E"],
            "FrEduCtDateNaissance": ["2012-09-30"],
            "sn": ["Durand"],
            "givenName": ["Inès"],
        }

    def test_parent_of_three(self, personas):
        assert provided(EduConnectProvider(), "paul.martin") == {
            "FrEduCtPersonAffiliation": ["resp1d", "resp2d"],
            "FrEduCtRefId": ["{AAF}DEMO|AC2D|RES-PAUL", "{ECT}" + ect(personas.parent_of_three)],
            "FrEduCtId": [ect(personas.parent_of_three)],
            "sn": ["Martin"],
            "givenName": ["Paul"],
        }

    def test_adult_pupil_as_representative(self, personas):
        assert provided(EduConnectProvider(), "hugo.leroy1") == {
            "FrEduCtPersonAffiliation": ["resp2d"],
            "FrEduCtRefId": ["{AAF}DEMO|AC2D|RES-HUGO", "{ECT}" + ect(personas.adult_as_representative)],
            "FrEduCtId": [ect(personas.adult_as_representative)],
            "sn": ["Leroy"],
            "givenName": ["Hugo"],
        }

    def test_joint_account_chosen_person(self, personas):
        luc = f"r{personas.joint.representatives.get(first_name='Luc').pk}"
        assert provided(EduConnectProvider(), "marie.bernard", luc) == {
            "FrEduCtPersonAffiliation": ["resp2d"],
            "FrEduCtRefId": ["{AAF}DEMO|AC2D|RES-LUC", "{ECT}" + ect(personas.joint)],
            "FrEduCtId": [ect(personas.joint)],
            "sn": ["Bernard"],
            "givenName": ["Luc"],
        }

    def test_refid_academy_and_source_settings(self, personas, settings):
        settings.CAS_EDUCONNECT_ACADEMY_CODE = "18"
        settings.CAS_EDUCONNECT_REFID_SOURCE = "AC1D"
        assert provided(EduConnectProvider(), "tom.petit")["FrEduCtRefId"][0] == "{AAF}18|AC1D|ELV-TOM"


class TestEnt:
    def test_pupil(self, personas):
        assert provided(EntProvider(), "ines.durand") == {
            "ENTPersonJointure": ["AC-DEMO$ELV-INES"],
            "ENTPersonProfils": ["National_1"],
        }

    def test_parent_with_validated_mail(self, personas):
        assert provided(EntProvider(), "paul.martin") == {
            "ENTPersonJointure": ["AC-DEMO$RES-PAUL"],
            "ENTPersonProfils": ["National_2"],
            "mail": ["paul@example.org"],
        }

    def test_unvalidated_mail_is_not_released(self, personas):
        assert "mail" not in provided(EntProvider(), "marie.bernard")

    def test_joint_account_all_persons(self, personas):
        assert provided(EntProvider(), "marie.bernard") == {
            "ENTPersonJointure": ["AC-DEMO$RES-MARIE", "AC-DEMO$RES-LUC"],
            "ENTPersonProfils": ["National_2"],
        }

    def test_legacy_identifier_under_a_configurable_name(self, personas, settings):
        assert provided(EntProvider(), "nadia.roux") == {
            "ENTPersonJointure": ["AC-DEMO$RES-NADIA"],
            "ENTPersonProfils": ["National_2"],
            "ENTPersonLogin": ["nroux42"],
        }
        settings.CAS_EDUCONNECT_LEGACY_IDENTIFIER_ATTRIBUTE = "casLegacyUid"
        settings.CAS_EDUCONNECT_ENT_ACADEMY = "orleans-tours"
        assert provided(EntProvider(), "nadia.roux") == {
            "ENTPersonJointure": ["AC-ORLEANS-TOURS$RES-NADIA"],
            "ENTPersonProfils": ["National_2"],
            "casLegacyUid": ["nroux42"],
        }
        settings.CAS_EDUCONNECT_LEGACY_IDENTIFIER_ATTRIBUTE = ""
        assert "casLegacyUid" not in provided(EntProvider(), "nadia.roux")


def test_identity(personas):
    assert provided(IdentityProvider(), "paul.martin") == {"uid": ["paul.martin"]}


def test_full_release_of_the_parent_of_three(personas):
    assert release("paul.martin") == {
        "uid": ["paul.martin"],
        "FrEduVecteur": ["1|Martin|Paul|1003|0790001A", "2|Martin|Paul|7001|0790031E", "2|Martin|Paul|7002|0790031E"],
        "FrEduCtPersonAffiliation": ["resp1d", "resp2d"],
        "FrEduCtRefId": ["{AAF}DEMO|AC2D|RES-PAUL", "{ECT}" + ect(personas.parent_of_three)],
        "FrEduCtId": [ect(personas.parent_of_three)],
        "sn": ["Martin"],
        "givenName": ["Paul"],
        "ENTPersonJointure": ["AC-DEMO$RES-PAUL"],
        "ENTPersonProfils": ["National_2"],
        "mail": ["paul@example.org"],
    }


@pytest.mark.parametrize("identifier", ["nobody", "", "  "])
def test_unknown_accounts_get_nothing(personas, identifier):
    assert release(identifier) == {}


def test_closed_account_gets_nothing(personas):
    personas.pupil_2d.state = "closed"
    personas.pupil_2d.save()
    assert release("ines.durand") == {}

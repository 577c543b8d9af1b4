"""manage.py educonnect_release."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from cas_server.models import ReplaceAttributName, ReplaceAttributValue
from django.core.management import CommandError, call_command

from cas_educonnect.attributes import release

from .cas_helpers import ENT, NOTES, register_service


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("educonnect_release", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def test_one_json_object_equal_to_release(personas):
    data, _ = run("paul.martin", "ines.durand", "marie.bernard")
    assert list(data) == ["paul.martin", "ines.durand", "marie.bernard"]
    assert data["paul.martin"] == release("paul.martin")
    assert data["marie.bernard"]["FrEduVecteur"] == ["2|Bernard|Marie|7100|0790031E", "2|Bernard|Luc|7100|0790031E"]


def test_person_keys_and_one_person(personas):
    data, _ = run("marie.bernard", "--list-persons")
    keys = {name: key for key, name in data["marie.bernard"].items()}
    assert set(keys) == {"Marie Bernard", "Luc Bernard"}
    data, _ = run("marie.bernard", "--person", keys["Luc Bernard"])
    assert data["marie.bernard"]["FrEduVecteur"] == ["2|Bernard|Luc|7100|0790031E"]


def test_unknown_identifier_is_null_and_an_error(personas):
    out = StringIO()
    with pytest.raises(CommandError, match="nobody"):
        call_command("educonnect_release", "paul.martin", "nobody", stdout=out)
    data = json.loads(out.getvalue())
    assert data["nobody"] is None and data["paul.martin"]


def test_service_rules_are_applied(personas):
    pattern = register_service(ENT, "ent", "ENT")
    pattern.attributs.all().delete()
    ReplaceAttributName.objects.create(service_pattern=pattern, name="FrEduVecteur")
    ReplaceAttributName.objects.create(service_pattern=pattern, name="uid", replace="login")
    ReplaceAttributValue.objects.create(service_pattern=pattern, attribut="uid", pattern="^", replace="ac-")
    data, _ = run("paul.martin", "--service", ENT + "accueil")
    assert data == {
        "paul.martin": {
            "FrEduVecteur": [
                "1|Martin|Paul|1003|0790001A",
                "2|Martin|Paul|7001|0790031E",
                "2|Martin|Paul|7002|0790031E",
            ],
            "login": ["ac-paul.martin"],
        }
    }


def test_refused_follow_up_service_gets_nothing(personas):
    register_service(NOTES, "follow_up", "Notes")
    pupil = personas.pupil_2d.pupils.get()
    pupil.services_refused = True
    pupil.save()
    data, err = run("ines.durand", "paul.martin", "--service", NOTES)
    assert data["ines.durand"] == {} and "follow-up services refused" in err
    assert data["paul.martin"]["uid"] == ["paul.martin"]


def test_unknown_service_is_an_error(personas):
    with pytest.raises(CommandError, match="No ServicePattern"):
        run("paul.martin", "--service", "https://unknown.example.net/")

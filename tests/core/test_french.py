"""French elision before a name (core.french) and the plural of the attempts left."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from cas_educonnect.core.forms import BirthDatesForm
from cas_educonnect.core.french import elides
from cas_educonnect.routes.sms.codes import VerifyResult
from cas_educonnect.routes.sms.forms import BirthDatesForm as SmsBirthDatesForm
from cas_educonnect.routes.sms.services import verify_message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Arthur", True),
        ("Inès", True),
        ("Élodie", True),
        ("Hugo", True),
        ("Yves", True),
        ("Léa", False),
        ("Yann", False),
        ("Hamid", False),
        ("Zoé", False),
        ("", False),
    ],
)
def test_elision(name, expected):
    assert elides(name) is expected


@pytest.fixture
def french():
    with translation.override("fr"):
        yield


@pytest.mark.django_db
def test_birth_date_labels_elide_de(french, pupil_factory):
    arthur = pupil_factory(first_name="Arthur", last_name="Martin")
    ines = pupil_factory(first_name="Inès", last_name="Roux", establishment=arthur.establishment)
    lea = pupil_factory(first_name="Léa", last_name="Martin", birth_date=datetime.date(2012, 3, 14))
    form = BirthDatesForm(pupils=[arthur, ines, lea])
    labels = [str(field.label) for field in form.fields.values()]
    assert labels == [
        "Date de naissance d'Arthur Martin",
        "Date de naissance d'Inès Roux",
        "Date de naissance de Léa Martin",
    ]
    sms = SmsBirthDatesForm(pupils=[ines])
    assert [str(f.label) for f in sms.fields.values()] == [f"Date de naissance d'Inès ({ines.establishment.name})"]


def test_attempts_left_agree_in_number(french):
    def message(remaining: int) -> str:
        return verify_message(VerifyResult(ok=False, reason="invalid", remaining=remaining))

    assert message(1) == "Code incorrect. Il vous reste 1 essai."
    assert message(3) == "Code incorrect. Il vous reste 3 essais."

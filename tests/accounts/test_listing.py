import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cas_educonnect.models import AccountKind, AccountState


def _list(*args):
    out = StringIO()
    call_command("educonnect_accounts", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_accounts_listing_filters_and_keys(
    establishment_factory, pupil_factory, representative_factory, account_factory
):
    college, lycee = establishment_factory(uai="0560001A"), establishment_factory(uai="0560002B")
    lea = pupil_factory(establishment=college, jointure="E1")
    tom = pupil_factory(establishment=lycee, jointure="E2")
    mother = representative_factory(children=[lea, tom], jointure="R1")
    account_factory(kind=AccountKind.PUPIL, pupils=[lea], identifier="lea.martin", state=AccountState.ACTIVE)
    account_factory(kind=AccountKind.PUPIL, pupils=[tom], identifier="tom.martin", state=AccountState.NOT_NOTIFIED)
    account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[mother], identifier="paul.martin")

    rows = _list()
    assert rows == [
        {"identifier": "lea.martin", "kind": "pupil", "state": "active", "schools": ["0560001A"], "jointures": ["E1"]},
        {
            "identifier": "paul.martin",
            "kind": "representative",
            "state": "notified",
            "schools": ["0560001A", "0560002B"],
            "jointures": ["R1"],
        },
        {
            "identifier": "tom.martin",
            "kind": "pupil",
            "state": "not_notified",
            "schools": ["0560002B"],
            "jointures": ["E2"],
        },
    ]
    assert [r["identifier"] for r in _list("--school", "0560002B")] == ["paul.martin", "tom.martin"]
    assert [r["identifier"] for r in _list("--school", "0560001a", "--state", "active")] == ["lea.martin"]
    assert _list("--state", "closed") == []
    with pytest.raises(CommandError):
        _list("--school", "9999999Z")
    text = StringIO()
    call_command("educonnect_accounts", stdout=text)
    assert "paul.martin\trepresentative\tnotified\t0560001A,0560002B\tR1" in text.getvalue()

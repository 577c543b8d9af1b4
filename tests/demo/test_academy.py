"""The demo academy is a generated AAF export loaded through the importer."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from cas_educonnect.models import Account, AccountState, Establishment, Pupil, Representative, RepresentativeLink


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("educonnect_demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_demo_academy_content(demo):
    schools = {s.uai: s for s in Establishment.objects.filter(uai__in=["0561001A", "0561002B", "0561003C"])}
    assert [schools[u].degree for u in sorted(schools)] == ["2D", "2D", "1D"]
    assert Pupil.objects.filter(establishment__in=schools.values()).count() == 300
    assert 420 <= Representative.objects.filter(links__pupil__establishment__in=schools.values()).distinct().count()
    # Siblings across two schools, covered by one representative account.
    by_persona = {a["persona"]: a for a in demo["accounts"]}
    parent = next(a for p, a in by_persona.items() if p.startswith("Parent d'un collégien"))
    assert parent["schools"] == ["0561001A", "0561002B"]
    # The adult pupil is his own representative (link 70), with a second account.
    adult = next(a for p, a in by_persona.items() if p.startswith("Élève majeur, son compte"))
    assert RepresentativeLink.objects.get(representative__jointure=adult["jointures"][0]).link_code == "70"
    refused = next(a for p, a in by_persona.items() if "a refusé" in p and a["kind"] == "pupil")
    assert Pupil.objects.get(jointure=refused["jointures"][0]).services_refused
    joint = next(a for p, a in by_persona.items() if p.startswith("Compte conjoint"))
    assert len(joint["jointures"]) == 2
    assert {a["state"] for a in demo["accounts"]} >= set(AccountState.values)


def test_demo_credentials_work(demo):
    for account in demo["accounts"]:
        if account["state"] in (AccountState.NOTIFIED, AccountState.ACTIVE) and account.get("kind"):
            user = authenticate(username=account["identifier"], password=account["password"])
            assert user is not None, account
    assert Account.objects.filter(state=AccountState.CLOSED).exists()

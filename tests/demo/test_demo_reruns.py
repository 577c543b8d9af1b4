"""Re-running ``educonnect_demo`` puts every walk back at its start: the legacy parent's
switch, the sample FranceConnect user's link, and the grouping persona's two accounts."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from cas_educonnect.demo.legacy import PARENT
from cas_educonnect.models import Account, AccountKind, AccountState, Representative
from cas_educonnect.routes.franceconnect.base import Identity
from cas_educonnect.routes.franceconnect.linking import link
from cas_educonnect.routes.legacy.models import LegacyProfile
from cas_educonnect.routes.legacy.switch import switch_account
from tests.aten.conftest import cas_login

pytestmark = [pytest.mark.routes("aten", "legacy", "franceconnect"), pytest.mark.django_db]


def demo() -> dict:
    out = io.StringIO()
    call_command("educonnect_demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def persona(payload: dict, words: str) -> dict:
    return next(a for a in payload["accounts"] if words in a["persona"])


def test_the_legacy_parents_switch_is_undone_by_a_rerun():
    demo()
    legacy = Account.objects.get(identifier=PARENT[0].lower())
    switched = switch_account(legacy, "Nouveau-Mot-De-Passe-2026").account
    assert Account.objects.get(pk=legacy.pk).state == AccountState.CLOSED
    demo()
    legacy = Account.objects.get(pk=legacy.pk)
    assert legacy.state == AccountState.ACTIVE and legacy.closed_at is None
    profile = LegacyProfile.objects.get(account=legacy)
    assert profile.switched_at is None and profile.switched_to is None
    assert not Account.objects.filter(pk=switched.pk).exists()
    # The switch works again.
    assert switch_account(legacy, "Nouveau-Mot-De-Passe-2026").created


def test_the_sample_franceconnect_users_link_is_removed_by_a_rerun():
    demo()
    parent = Representative.objects.get(jointure="DEMO-FC-RES")
    account = Account.objects.create(
        identifier="angela.dubois", kind=AccountKind.REPRESENTATIVE, state=AccountState.ACTIVE
    )
    account.representatives.add(parent)
    claims = {"given_name": "Angela Claire Louise", "family_name": "DUBOIS", "birthdate": "1962-08-24"}
    identity = Identity(sub="demo-sub", claims=claims)
    link(account, identity)
    assert account.franceconnect_links.exists()
    demo()
    assert not account.franceconnect_links.exists()


def group(payload: dict) -> tuple[Client, object]:
    first = persona(payload, "compte de Camille")
    second = persona(payload, "compte de Noé")
    client = Client()
    cas_login(client, first["identifier"], first["password"])
    assert client.session.get("authenticated")
    response = client.post(
        "/cas/aten/account/group/", {"identifier": second["identifier"], "password": second["password"]}
    )
    return response, (first, second)


def test_the_grouping_persona_groups_and_a_rerun_puts_the_accounts_apart():
    payload = demo()
    response, (first, second) = group(payload)
    assert response.status_code == 302, response.content.decode()[:500]
    kept, absorbed = (Account.objects.get(identifier=p["identifier"]) for p in (first, second))
    assert absorbed.state == AccountState.CLOSED and kept.representatives.count() == 2
    payload = demo()
    kept, absorbed = (Account.objects.get(identifier=p["identifier"]) for p in (first, second))
    assert kept.state == absorbed.state == AccountState.ACTIVE
    assert kept.representatives.count() == absorbed.representatives.count() == 1
    response, _ = group(payload)
    assert response.status_code == 302

"""FranceConnect pieces that need no provider: levels, names, linking rules, unlinking, button, checks."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from cas_educonnect.models import Account, AccountKind, AccountState
from cas_educonnect.routes.franceconnect.base import Identity, acr_satisfies
from cas_educonnect.routes.franceconnect.linking import find_linked_account, link, names_match_people, unlink
from cas_educonnect.routes.franceconnect.models import FranceConnectLink

SUB = "a" * 64 + "v1"


@pytest.mark.parametrize(
    ("returned", "required", "ok"),
    [
        ("eidas1", "eidas1", True),
        ("eidas2", "eidas1", True),
        ("eidas1", "eidas2", False),
        ("eidas0", "eidas1", False),
        (None, "eidas1", False),
        ("EIDAS1", "eidas1", False),
    ],
)
def test_acr_levels(returned, required, ok):
    assert acr_satisfies(returned, required) is ok


def test_names_ignore_case_accents_hyphens_and_extra_first_names(representative_factory):
    rep = representative_factory(last_name="Le Bihan-Éloi", first_name="Hélène")
    identity = Identity(sub=SUB, claims={"given_name": "Marie HELENE Anne", "family_name": "LE BIHAN ELOI"})
    assert names_match_people(identity, [rep])
    other = Identity(sub=SUB, claims={"given_name": "Marie", "family_name": "LE BIHAN ELOI"})
    assert not names_match_people(other, [rep])


@pytest.fixture
def rep_account(representative_factory, account_factory):
    # In use with a chosen password (an account without one is "FranceConnect only": test_passwordless.py).
    return account_factory(
        kind=AccountKind.REPRESENTATIVE,
        state=AccountState.ACTIVE,
        representatives=[representative_factory()],
        password=make_password("Mdp-1234!"),
    )


def test_link_stores_minimal_claims(rep_account):
    identity = Identity(
        sub=SUB, claims={"given_name": "Paul", "family_name": "MARTIN", "birthdate": "1980-01-01", "email": "p@x.fr"}
    )
    fc_link = link(rep_account, identity)
    rep_account.refresh_from_db()
    assert rep_account.last_used_at is not None
    assert (fc_link.sub, fc_link.family_name, fc_link.birthdate) == (SUB, "MARTIN", "1980-01-01")
    assert not hasattr(fc_link, "email")  # the contact email is never stored nor used to match
    assert find_linked_account(SUB) == rep_account


def test_pupil_accounts_cannot_be_linked(pupil_factory, account_factory):
    pupil_account = account_factory(kind=AccountKind.PUPIL, state=AccountState.ACTIVE, pupils=[pupil_factory()])
    with pytest.raises(ValueError):
        link(pupil_account, Identity(sub=SUB))
    assert not FranceConnectLink.objects.exists()


def test_a_sub_linked_to_an_open_account_is_not_stolen(rep_account, representative_factory, account_factory):
    link(rep_account, Identity(sub=SUB))
    other = account_factory(
        kind=AccountKind.REPRESENTATIVE, state=AccountState.ACTIVE, representatives=[representative_factory()]
    )
    with pytest.raises(ValueError):
        link(other, Identity(sub=SUB))
    assert FranceConnectLink.objects.get().account == rep_account


def test_a_link_left_on_a_closed_account_moves(rep_account, representative_factory, account_factory):
    link(rep_account, Identity(sub=SUB))
    rep_account.state = AccountState.CLOSED
    rep_account.save()
    assert find_linked_account(SUB) is None
    grouped = account_factory(
        kind=AccountKind.REPRESENTATIVE, state=AccountState.ACTIVE, representatives=[representative_factory()]
    )
    link(grouped, Identity(sub=SUB))
    assert find_linked_account(SUB) == grouped


def test_accounts_not_in_use_cannot_be_linked(representative_factory, account_factory):
    notified = account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[representative_factory()])
    with pytest.raises(ValueError):
        link(notified, Identity(sub=SUB))


def test_staff_unlink(rep_account):
    link(rep_account, Identity(sub=SUB))
    assert unlink(rep_account, by="staff:operateur") == 1
    assert find_linked_account(SUB) is None
    assert unlink(rep_account, by="staff:operateur") == 0


def test_owner_unlinks_from_the_account_page(client, rep_account):
    link(rep_account, Identity(sub=SUB))
    assert client.get("/cas/franceconnect/unlink")["Location"].startswith("/cas/login")  # not logged in
    session = client.session
    session.update({"authenticated": True, "username": rep_account.identifier})
    session.save()
    page = client.get("/cas/franceconnect/unlink")
    assert page.status_code == 200 and "est lié à FranceConnect" in page.content.decode()
    page = client.post("/cas/franceconnect/unlink")
    assert "n'est plus lié à FranceConnect" in page.content.decode()
    assert not FranceConnectLink.objects.exists()


def test_owner_cannot_unlink_an_account_without_a_password(client, rep_account):
    """FranceConnect only: unlinking would leave an active account nobody can log into."""
    Account.objects.filter(pk=rep_account.pk).update(password=make_password(None))
    link(rep_account, Identity(sub=SUB))
    session = client.session
    session.update({"authenticated": True, "username": rep_account.identifier})
    session.save()
    page = client.post("/cas/franceconnect/unlink")
    assert page.status_code == 409 and 'id="franceconnect-only"' in page.content.decode()
    assert FranceConnectLink.objects.filter(account=rep_account).exists()


@pytest.mark.django_db
def test_button_on_the_parents_page_only_when_configured(client, settings):
    settings.CAS_EDUCONNECT_FRANCECONNECT_ISSUER = ""
    assert b"franceconnect-login" not in client.get("/cas/login?idpId=educonnect").content
    settings.CAS_EDUCONNECT_FRANCECONNECT_ISSUER = "https://fc.example/api/v2"
    settings.CAS_EDUCONNECT_FRANCECONNECT_CLIENT_ID = "fs"
    page = client.get("/cas/login", {"idpId": "educonnect", "service": "https://ent.example/"}).content.decode()
    assert 'href="/cas/franceconnect/login?service=https%3A%2F%2Fent.example%2F"' in page
    assert "S’identifier avec" in page


def test_system_checks(settings):
    settings.CAS_EDUCONNECT_FRANCECONNECT_ISSUER = "https://fc.example"
    settings.CAS_EDUCONNECT_FRANCECONNECT_PROFILE = "v1"
    settings.CAS_EDUCONNECT_FRANCECONNECT_CLIENT_ID = "fs"
    settings.CAS_EDUCONNECT_FRANCECONNECT_CLIENT_SECRET = ""
    with pytest.raises(SystemCheckError) as error:
        call_command("check")
    assert "educonnect_franceconnect.E002" in str(error.value) and "educonnect_franceconnect.E003" in str(error.value)

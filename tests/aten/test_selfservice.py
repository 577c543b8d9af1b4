"""Self-service: lost identifier, lost password (one-week, single-use link), account page."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.core import mail
from freezegun import freeze_time

from cas_educonnect.models import AccountKind, AccountState

from .conftest import cas_login, follow_to_ticket, last_mail_to, link_from_mail, text

PASSWORD = "Mon-Ancien-Pass-1"
NEW = "Un-Nouveau-Pass-2"


@pytest.fixture
def active(family, account_factory):
    """An activated representative account with a validated address and a chosen password."""
    account = family["parent_account"]
    account.state = AccountState.ACTIVE
    account.password = make_password(PASSWORD)
    account.provisional_password = ""
    account.email, account.email_validated = "paul@ex.fr", True
    account.save()
    return account


def login(client, account, password=PASSWORD, service=None):
    response = cas_login(client, account.identifier, password, service=service)
    assert client.session.get("authenticated"), text(response)[:500]
    return response


@pytest.mark.django_db
def test_lost_identifier_only_for_validated_addresses_same_answer(client, active, account_factory, family):
    account_factory(kind=AccountKind.PUPIL, pupils=[family["tom"]], email="paul@ex.fr", email_validated=False)
    known = client.post("/cas/aten/lost-identifier/", {"email": "PAUL@ex.fr"})
    assert len(mail.outbox) == 1 and active.identifier in mail.outbox[0].body
    assert "tom." not in mail.outbox[0].body, "an unvalidated address is not used"
    unknown = client.post("/cas/aten/lost-identifier/", {"email": "nobody@ex.fr"})
    assert len(mail.outbox) == 1
    assert known.status_code == unknown.status_code == 200
    assert text(known) == text(unknown)
    assert "Si cette adresse est validée sur un compte" in text(known)
    assert mail.outbox[0].subject == "Votre identifiant des services en ligne"


@pytest.mark.django_db
def test_lost_password_link_resets_once_then_dies(client, active, demo_service):
    unknown = client.post(f"/cas/aten/lost-password/?service={demo_service}", {"identifier": "personne.inconnue"})
    known = client.post(
        f"/cas/aten/lost-password/?service={demo_service}", {"identifier": f" {active.identifier.upper()} "}
    )
    assert text(known) == text(unknown)
    assert len(mail.outbox) == 1
    active.refresh_from_db()
    assert check_password(PASSWORD, active.password), "nothing changes before the link is used"
    link = link_from_mail(last_mail_to("paul@ex.fr"), "/cas/aten/reset/")
    assert client.get(link).status_code == 200
    bad = client.post(link, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert "ne correspondent pas" in text(bad)
    done = client.post(link, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 200 and "Mot de passe modifié" in text(done)
    assert client.get(link).status_code == 400, "used once"
    assert client.post(link, {"new_password1": "Encore-Autre-3", "new_password2": "Encore-Autre-3"}).status_code == 400
    assert cas_login(client, active.identifier, PASSWORD).status_code == 200  # old password refused
    assert follow_to_ticket(client, login(client, active, NEW, service=demo_service)).startswith("ST-")


@pytest.mark.django_db
def test_reset_link_valid_one_week_and_dies_when_the_password_changes(client, active):
    start = datetime.datetime(2026, 10, 1, 8, 0, tzinfo=datetime.UTC)
    with freeze_time(start):
        client.post("/cas/aten/lost-password/", {"identifier": active.identifier})
        client.post("/cas/aten/lost-password/", {"identifier": active.identifier})
    first, second = (link_from_mail(m, "/cas/aten/reset/") for m in mail.outbox)
    with freeze_time(start + datetime.timedelta(days=6, hours=23)):
        assert client.get(first).status_code == 200
    with freeze_time(start + datetime.timedelta(days=7, hours=1)):
        assert client.get(first).status_code == 400
    with freeze_time(start + datetime.timedelta(days=1)):
        client.post(second, {"new_password1": NEW, "new_password2": NEW})
        assert client.get(first).status_code == 400, "another link changed the password"


@pytest.mark.django_db
def test_no_reset_link_for_accounts_without_validated_email(client, active):
    active.email_validated = False
    active.save()
    client.post("/cas/aten/lost-password/", {"identifier": active.identifier})
    assert mail.outbox == []


@pytest.mark.django_db
def test_self_service_emails_are_rate_limited_per_target(client, active):
    for _ in range(5):
        client.post("/cas/aten/lost-password/", {"identifier": active.identifier})
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_account_page_shows_children_and_changes_password(client, active, family):
    assert client.get("/cas/aten/account/")["Location"].startswith("/cas/login")
    login(client, active)
    page = text(client.get("/cas/aten/account/"))
    assert active.identifier in page and "Léa Durand" in page and "Tom Durand" in page
    wrong = client.post(
        "/cas/aten/account/password/", {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )
    assert "Votre mot de passe actuel est incorrect" in text(wrong)
    ok = client.post(
        "/cas/aten/account/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert ok.status_code == 302
    active.refresh_from_db()
    assert check_password(NEW, active.password)


@pytest.mark.django_db
def test_email_change_keeps_the_old_address_until_confirmed(client, active):
    login(client, active)
    response = client.post("/cas/aten/account/email/", {"email": "nouveau@ex.fr", "email2": "nouveau@ex.fr"})
    assert response.status_code == 302
    active.refresh_from_db()
    assert active.email == "paul@ex.fr" and active.pending_email == "nouveau@ex.fr"
    message = last_mail_to("nouveau@ex.fr")
    assert message.subject == "Confirmez votre nouvelle adresse électronique"
    link = link_from_mail(message, "/cas/aten/email/")
    assert "nouveau@ex.fr" in text(client.get(link))
    confirmed = client.post(link)
    assert confirmed.status_code == 200 and "nouveau@ex.fr" in text(confirmed)
    active.refresh_from_db()
    assert (active.email, active.pending_email, active.email_validated) == ("nouveau@ex.fr", "", True)
    assert client.post(link).status_code == 400


@pytest.mark.django_db
def test_password_reset_ends_every_sso_session_and_change_keeps_the_current_one(client, active, demo_service):
    other_browser = client.__class__()
    login(other_browser, active)
    client.post("/cas/aten/lost-password/", {"identifier": active.identifier})
    link = link_from_mail(last_mail_to("paul@ex.fr"), "/cas/aten/reset/")
    client.post(link, {"new_password1": NEW, "new_password2": NEW})
    # The session opened with the old password is gone: no ticket without logging in again.
    response = other_browser.get("/cas/login", {"service": demo_service})
    assert not (response.status_code == 302 and "ticket=" in response["Location"])

    login(client, active, NEW)
    login(other_browser, active, NEW)
    client.post(
        "/cas/aten/account/password/",
        {"old_password": NEW, "new_password1": PASSWORD + "9", "new_password2": PASSWORD + "9"},
    )
    assert "ticket=" in client.get("/cas/login", {"service": demo_service})["Location"]
    response = other_browser.get("/cas/login", {"service": demo_service})
    assert not (response.status_code == 302 and "ticket=" in response["Location"])


@pytest.mark.django_db
def test_lost_identifier_lost_password_and_reset_keep_the_service(client, active, demo_service):
    """Every self-service page leads back to the service the person came from, never elsewhere."""
    from urllib.parse import quote

    back = f"/cas/login?service={quote(demo_service, safe='')}"
    portal = client.get("/cas/login", {"service": demo_service, "idpId": "educonnect"})
    assert f'href="/cas/aten/lost-identifier/?service={quote(demo_service, safe="")}"' in text(portal)
    assert f'href="/cas/aten/lost-password/?service={quote(demo_service, safe="")}"' in text(portal)

    sent = client.post(f"/cas/aten/lost-identifier/?service={demo_service}", {"email": "paul@ex.fr"})
    assert f'href="{back}"' in text(sent)
    assert f"http://testserver{back}" in mail.outbox[-1].body

    sent = client.post(f"/cas/aten/lost-password/?service={demo_service}", {"identifier": active.identifier})
    assert f'href="{back}"' in text(sent)
    link = link_from_mail(last_mail_to("paul@ex.fr"), "/cas/aten/reset/")
    reset = client.get(link)
    assert f'href="{back}"' in text(reset), "the reset page offers the way back"
    done = client.post(link, {"new_password1": NEW, "new_password2": NEW})
    assert f'href="{back}"' in text(done)
    dead = client.get(link)
    assert f"/cas/aten/lost-password/?service={quote(demo_service, safe='')}" in text(dead)

    other = client.post("/cas/aten/lost-identifier/?service=https://evil.example/", {"email": "paul@ex.fr"})
    assert "evil.example" not in text(other)

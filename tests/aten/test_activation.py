"""First-login activation through the test client: pupil and representative, email links, reports."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from freezegun import freeze_time
from lxml import etree

from cas_educonnect.accounts.passwords import check_provisional_password
from cas_educonnect.attributes import release
from cas_educonnect.login.flow import LoginRoute
from cas_educonnect.models import Account, AccountReport, AccountState
from cas_educonnect.staff.models import RouteLogin

from .conftest import SERVICE, cas_login, follow_to_ticket, last_mail_to, link_from_mail, text

NEW_PASSWORD = "Ch3val-Bleu-42"
CAS_NS = {"cas": "http://www.yale.edu/tp/cas"}
PROTOCOL_ATTRIBUTES = {"isFromNewLogin", "authenticationDate", "longTermAuthenticationRequestTokenUsed"}


def validate(client, ticket: str) -> tuple[str, dict[str, list[str]]]:
    """Validate ``ticket`` as the demo service does; returns (user, attributes)."""
    response = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": SERVICE})
    root = etree.fromstring(response.content)
    user = root.findtext(".//cas:user", namespaces=CAS_NS)
    assert user, text(response)
    attributes: dict[str, list[str]] = {}
    for node in root.find(".//cas:attributes", namespaces=CAS_NS) or []:
        name = etree.QName(node).localname
        if name not in PROTOCOL_ATTRIBUTES:
            attributes.setdefault(name, []).append(node.text or "")
    return user, attributes


def pupil_form(birth: str, account, pupil, email: str = "") -> dict[str, str]:
    return {
        f"birth_date_{pupil.pk}": birth,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
        "email": email,
        "email2": email,
    }


@pytest.mark.django_db
def test_pupil_activation_wrong_then_right_birth_date_then_ticket_with_same_attributes(client, family, demo_service):
    account, lea = family["lea_account"], family["lea"]
    response = cas_login(client, account.identifier, account.clear_provisional, service=demo_service)
    assert response.status_code == 302 and response["Location"] == "/cas/aten/activate/"
    assert not client.session.get("authenticated"), "no SSO session before activation"

    page = client.get("/cas/aten/activate/")
    assert page.status_code == 200 and "Votre date de naissance" in text(page)

    wrong = client.post("/cas/aten/activate/", pupil_form("15/03/2012", account, lea))
    assert wrong.status_code == 200
    assert "ne correspond pas à celle connue par l'établissement" in text(wrong)
    account.refresh_from_db()
    assert account.state == AccountState.NOTIFIED and not account.password
    assert check_provisional_password(account.provisional_password, account.clear_provisional), "not consumed"

    done = client.post("/cas/aten/activate/", pupil_form("2012-03-14", account, lea, email="lea@ex.fr"))
    ticket = follow_to_ticket(client, done)
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVE and account.activated_at is not None
    assert account.password.startswith("argon2") and account.provisional_password == ""
    assert account.pending_email == "lea@ex.fr" and not account.email_validated
    # Statistics: the login counts once, under activation (the provisional-password POST opened nothing).
    assert list(RouteLogin.objects.values_list("username", "route")) == [(account.identifier, LoginRoute.ACTIVATION)]

    user, attributes = validate(client, ticket)
    assert user == account.identifier
    assert attributes == release(account.identifier)

    # The optional address is validated by its link (GET shows a button, POST applies).
    link = link_from_mail(last_mail_to("lea@ex.fr"), "/cas/aten/email/")
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 200
    account.refresh_from_db()
    assert account.email == "lea@ex.fr" and account.email_validated and account.email_validated_at is not None
    again = client.get(link)  # a used link applies nothing more and says it worked
    assert again.status_code == 200 and "déjà été utilisé" in text(again) and "Confirmer" not in text(again)


@pytest.mark.django_db
def test_pupil_activation_needs_matching_passwords_and_validators(client, family):
    account, lea = family["lea_account"], family["lea"]
    cas_login(client, account.identifier, account.clear_provisional)
    data = pupil_form("14/03/2012", account, lea)
    data["new_password1"] = data["new_password2"] = "court"
    html = text(client.post("/cas/aten/activate/", data))
    assert "Ce mot de passe est trop court" in html
    data["new_password2"] = "autre-chose-123"
    data["new_password1"] = "autre-chose-124"
    assert "Les deux mots de passe ne correspondent pas" in text(client.post("/cas/aten/activate/", data))
    account.refresh_from_db()
    assert account.state == AccountState.NOTIFIED


@pytest.mark.django_db
def test_representative_activation_email_link_logs_in_and_reaches_the_service(client, family, demo_service):
    account, lea, tom = family["parent_account"], family["lea"], family["tom"]
    cas_login(client, account.identifier, account.clear_provisional, service=demo_service)
    page = text(client.get("/cas/aten/activate/"))
    assert "Date de naissance de Léa Durand" in page and "Date de naissance de Tom Durand" in page
    assert "Je ne suis pas le représentant légal de cet élève" in page
    data = {
        f"birth_date_{lea.pk}": "14/03/2012",
        f"birth_date_{tom.pk}": "02/11/2010",  # wrong year
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
        "email": "",
        "email2": "",
    }
    html = text(client.post("/cas/aten/activate/", data))
    assert "Une adresse électronique est obligatoire" in html
    data.update(email="paul@ex.fr", email2="paul@ex.fr")
    html = text(client.post("/cas/aten/activate/", data))
    assert html.count("ne correspond pas à celle connue") == 1
    data[f"birth_date_{tom.pk}"] = "2009-11-02"
    response = client.post("/cas/aten/activate/", data)
    assert response.status_code == 200 and "paul@ex.fr" in text(response)
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVATING and account.pending_email == "paul@ex.fr"
    assert not client.session.get("authenticated")

    # Logging in again before the link is used: still no ticket, a resend is offered.
    other = client.__class__()
    response = cas_login(other, account.identifier, NEW_PASSWORD, service=demo_service)
    assert response["Location"] == "/cas/aten/pending/"
    assert other.post("/cas/aten/pending/").status_code == 302
    assert len([m for m in mail.outbox if "paul@ex.fr" in m.to]) == 2

    message = mail.outbox[0]
    assert message.subject == "Activez votre compte des services en ligne"
    assert message.alternatives and "<a href=" in message.alternatives[0][0]
    link = link_from_mail(message, "/cas/aten/email/")
    assert "service=" in link
    assert "Confirmez" in text(client.get(link))
    ticket = follow_to_ticket(client, client.post(link))
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVE and account.email_validated and account.email == "paul@ex.fr"
    user, attributes = validate(client, ticket)
    assert user == account.identifier and attributes == release(account.identifier)
    # The resent link died with the first use: it says the address is already confirmed.
    again = other.get(link_from_mail(mail.outbox[-1], "/cas/aten/email/"))
    assert again.status_code == 200 and "déjà été utilisé" in text(again)
    assert "invalide" not in text(again)


@pytest.mark.django_db
def test_representative_link_in_another_browser_activates_then_sends_to_login(client, family, demo_service):
    account, lea, tom = family["parent_account"], family["lea"], family["tom"]
    cas_login(client, account.identifier, account.clear_provisional, service=demo_service)
    client.post(
        "/cas/aten/activate/",
        {
            f"birth_date_{lea.pk}": "14/03/2012",
            f"birth_date_{tom.pk}": "02/11/2009",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "email": "paul@ex.fr",
            "email2": "paul@ex.fr",
        },
    )
    link = link_from_mail(last_mail_to("paul@ex.fr"), "/cas/aten/email/")
    browser2 = client.__class__()
    response = browser2.post(link)
    assert response.status_code == 200 and "Votre compte est activé" in text(response)
    assert not browser2.session.get("authenticated")
    # The same link on a third device (or the first one again): already confirmed, not « invalide ».
    for again in (client.__class__().get(link), client.__class__().post(link), client.get(link)):
        assert again.status_code == 200, text(again)[:300]
        assert "Ce lien a déjà été utilisé : l'adresse paul@ex.fr est confirmée" in text(again)
        assert "invalide" not in text(again) and not again.has_header("Location")
    # A forged token for the same account stays invalid.
    uid, token = link.split("/cas/aten/email/")[1].split("?")[0].strip("/").split("/")
    assert client.get(f"/cas/aten/email/{uid}/{token.split('-')[0]}-0ab/").status_code == 400
    ticket = follow_to_ticket(browser2, cas_login(browser2, account.identifier, NEW_PASSWORD, service=demo_service))
    assert ticket.startswith("ST-")


@pytest.mark.django_db
def test_validation_link_expires_after_three_months(client, family):
    account, lea, tom = family["parent_account"], family["lea"], family["tom"]
    start = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC)
    with freeze_time(start):
        cas_login(client, account.identifier, account.clear_provisional)
        client.post(
            "/cas/aten/activate/",
            {
                f"birth_date_{lea.pk}": "14/03/2012",
                f"birth_date_{tom.pk}": "02/11/2009",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
                "email": "paul@ex.fr",
                "email2": "paul@ex.fr",
            },
        )
    link = link_from_mail(last_mail_to("paul@ex.fr"), "/cas/aten/email/")
    with freeze_time(start + datetime.timedelta(days=91)):
        assert client.get(link).status_code == 200
    with freeze_time(start + datetime.timedelta(days=93)):
        assert client.get(link).status_code == 400
        assert client.post(link).status_code == 400
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVATING


@pytest.mark.django_db
def test_not_the_legal_representative_report_stops_activation(client, family):
    account, tom = family["parent_account"], family["tom"]
    cas_login(client, account.identifier, account.clear_provisional)
    # Irreversible for the parent: a GET or a first POST only asks for confirmation.
    for first in (client.get, client.post):
        response = first(f"/cas/aten/activate/report/{tom.pk}/")
        assert response.status_code == 200 and "Confirmer le signalement" in text(response)
        assert 'name="confirm" value="yes"' in response.content.decode()
        assert not AccountReport.objects.exists()
    response = client.post(f"/cas/aten/activate/report/{tom.pk}/", {"confirm": "yes"})
    assert response.status_code == 200 and "Signalement transmis" in text(response)
    report = AccountReport.objects.get()
    assert (report.account, report.pupil, report.kind) == (account, tom, AccountReport.Kind.NOT_LEGAL_REPRESENTATIVE)
    assert client.get("/cas/aten/activate/")["Location"].startswith("/cas/login")
    account.refresh_from_db()
    assert account.state == AccountState.NOTIFIED


@pytest.mark.django_db
def test_activation_pages_are_bound_to_the_account_that_logged_in(client, family, pupil_factory, account_factory):
    # Without a provisional-password login there is no activation page at all.
    assert client.get("/cas/aten/activate/")["Location"].startswith("/cas/login")
    stranger = pupil_factory(first_name="Zoé", last_name="Autre", birth_date=datetime.date(2011, 1, 1))
    stranger_account = account_factory(pupils=[stranger])
    account, lea = family["lea_account"], family["lea"]
    cas_login(client, account.identifier, account.clear_provisional)
    # A posted identifier or pupil of someone else changes nothing: the session's account is used.
    data = pupil_form("14/03/2012", account, lea)
    data.update(identifier=stranger_account.identifier, account=str(stranger_account.pk))
    follow = client.post("/cas/aten/activate/", data)
    assert follow.status_code == 302
    account.refresh_from_db()
    stranger_account.refresh_from_db()
    assert account.state == AccountState.ACTIVE and stranger_account.state == AccountState.NOTIFIED
    assert client.post(f"/cas/aten/activate/report/{stranger.pk}/", {"confirm": "yes"}).status_code == 302
    assert not AccountReport.objects.exists()


@pytest.mark.django_db
def test_service_not_matching_a_pattern_is_dropped(client, family, demo_service):
    account, lea = family["lea_account"], family["lea"]
    cas_login(client, account.identifier, account.clear_provisional, service="https://evil.example/steal")
    response = client.post("/cas/aten/activate/", pupil_form("14/03/2012", account, lea))
    assert response.status_code == 302 and "evil" not in response["Location"]
    assert client.session.get("authenticated")
    assert Account.objects.get(pk=account.pk).state == AccountState.ACTIVE

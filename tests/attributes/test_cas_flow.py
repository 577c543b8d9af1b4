"""Release policy in the CAS login: refusals, follow-up services, profile choice, scoped tickets."""

from __future__ import annotations

import pytest
from cas_server.models import ServiceTicket

from .cas_helpers import ENT, NOTES, cas_login, ticket_of


def validate(client, ticket, service=ENT):
    return client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": service}).content.decode()


def test_pupil_gets_a_ticket_with_his_vector(client, cas):
    ticket = ticket_of(cas_login(client, "ines.durand"))
    body = validate(client, ticket)
    assert "<cas:user>ines.durand</cas:user>" in body
    assert "<cas:FrEduVecteur>4|||701294|0790031E</cas:FrEduVecteur>" in body


def test_refused_pupil_gets_no_follow_up_service_but_the_others(client, cas):
    pupil = cas.pupil_2d.pupils.get()
    pupil.services_refused = True
    pupil.save()
    response = cas_login(client, "ines.durand", service=NOTES)
    assert response.status_code == 403
    text = response.content.decode()
    assert "Notes et absences" in text and "refusés" in text
    assert not ServiceTicket.objects.exists()
    # Same SSO session, another service: fine.
    response = client.get("/cas/login", {"service": ENT})
    assert "ticket=" in response["Location"]
    # gateway: back to the service without a ticket, as the host does for refused users.
    response = client.get("/cas/login", {"service": NOTES, "gateway": "true"})
    assert response.status_code == 302 and response["Location"] == NOTES


def test_parent_of_refused_child_keeps_follow_up_services(client, cas):
    for pupil in cas.parent_of_three.representatives.get().pupils.all():
        pupil.services_refused = True
        pupil.save()
    assert "ticket=" in cas_login(client, "paul.martin", service=NOTES)["Location"]


def test_representative_who_refused_cannot_log_in(client, cas):
    rep = cas.parent_of_three.representatives.get()
    rep.services_refused = True
    rep.save()
    response = cas_login(client, "paul.martin")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    assert not client.session.get("authenticated")
    assert not ServiceTicket.objects.exists()


def test_refusal_after_login_ends_the_sso_session(client, cas):
    ticket_of(cas_login(client, "paul.martin"))
    rep = cas.parent_of_three.representatives.get()
    rep.services_refused = True
    rep.save()
    response = client.get("/cas/login", {"service": ENT})
    assert response.status_code == 403
    assert not client.session.get("authenticated")


class TestProfileChoice:
    def test_joint_account_chooses_then_only_that_person_is_released_all_session(self, client, cas):
        response = cas_login(client, "marie.bernard")
        assert response.status_code == 302 and response["Location"] == "/cas/choix-du-profil"
        assert not client.session.get("authenticated")
        page = client.get("/cas/choix-du-profil").content.decode()
        assert "Choisissez votre profil" in page
        assert "Marie Bernard" in page and "Luc Bernard" in page and "Collège Jean Moulin" in page
        luc = cas.joint.representatives.get(first_name="Luc")
        response = client.post("/cas/choix-du-profil", {"person": f"r{luc.pk}"})
        assert response.status_code == 302
        response = client.get(response["Location"])
        body = validate(client, ticket_of(response))
        assert "<cas:user>marie.bernard</cas:user>" in body
        assert "<cas:FrEduVecteur>2|Bernard|Luc|7100|0790031E</cas:FrEduVecteur>" in body
        assert "Marie" not in body
        # A second service in the same SSO session: still Luc, no page.
        body = validate(client, ticket_of(client.get("/cas/login", {"service": NOTES})), NOTES)
        assert "<cas:givenName>Luc</cas:givenName>" in body and "Marie" not in body

    def test_after_logout_the_choice_is_asked_again(self, client, cas):
        cas_login(client, "marie.bernard")
        marie = cas.joint.representatives.get(first_name="Marie")
        client.get(client.post("/cas/choix-du-profil", {"person": f"r{marie.pk}"})["Location"])
        client.get("/cas/logout")
        assert cas_login(client, "marie.bernard")["Location"] == "/cas/choix-du-profil"

    def test_bad_choice_and_no_pending_login(self, client, cas):
        assert client.get("/cas/choix-du-profil")["Location"].startswith("/cas/login")
        assert client.post("/cas/choix-du-profil", {"person": "r1"})["Location"].startswith("/cas/login")
        cas_login(client, "marie.bernard")
        other = cas.parent_of_three.representatives.get()
        response = client.post("/cas/choix-du-profil", {"person": f"r{other.pk}"})
        assert response.status_code == 400
        assert not client.session.get("authenticated")

    def test_a_person_who_refused_is_not_offered(self, client, cas):
        marie = cas.joint.representatives.get(first_name="Marie")
        marie.services_refused = True
        marie.save()
        body = validate(client, ticket_of(cas_login(client, "marie.bernard")))
        assert "<cas:givenName>Luc</cas:givenName>" in body and "Marie" not in body

    def test_single_person_skips_the_page(self, client, cas):
        assert "ticket=" in cas_login(client, "paul.martin")["Location"]

    def test_release_all_setting_skips_the_page(self, client, cas, settings):
        settings.CAS_EDUCONNECT_RELEASE_ALL_PERSONS = True
        body = validate(client, ticket_of(cas_login(client, "marie.bernard")))
        assert "<cas:givenName>Luc</cas:givenName>" in body and "<cas:givenName>Marie</cas:givenName>" in body

    def test_service_survives_the_choice_and_only_known_services_are_followed(self, client, cas):
        cas_login(client, "marie.bernard", service="https://evil.example.net/")
        luc = cas.joint.representatives.get(first_name="Luc")
        response = client.post("/cas/choix-du-profil", {"person": f"r{luc.pk}"})
        assert response["Location"] == "/cas/login"


@pytest.mark.parametrize("children", [1, 8])
def test_sso_ticket_issuance_has_a_constant_query_count(
    children,
    client,
    settings,
    establishment_factory,
    pupil_factory,
    representative_factory,
    account_factory,
    django_assert_max_num_queries,
):
    from cas_server.models import FilterAttributValue

    from .cas_helpers import register_service, set_password

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    pattern = register_service(ENT, "ent", "ENT")
    # A filter makes the host build the auth class twice per ticket: the memo keeps 2 queries.
    FilterAttributValue.objects.create(service_pattern=pattern, attribut="FrEduCtPersonAffiliation", pattern="^resp")
    schools = [establishment_factory(degree="2D"), establishment_factory(degree="1D")]
    rep = representative_factory(children=[pupil_factory(establishment=schools[i % 2]) for i in range(children)])
    account = account_factory(kind="representative", representatives=[rep], state="active")
    set_password(account)
    ticket_of(cas_login(client, account.identifier))
    with django_assert_max_num_queries(11):
        ticket = ticket_of(client.get("/cas/login", {"service": ENT}))
    with django_assert_max_num_queries(4):
        assert validate(client, ticket).count("<cas:FrEduVecteur>") == children

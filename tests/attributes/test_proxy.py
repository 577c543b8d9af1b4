"""Proxy tickets follow the same release policy as service tickets."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from cas_server.models import ProxyGrantingTicket, ServicePattern
from cas_server.models import User as CasUser

from .cas_helpers import ENT, NOTES, cas_login


def pgt_for(client, identifier):
    """A PGT of the browser's SSO session, as a back end would hold after a pgtUrl callback."""
    user = CasUser.objects.get(username=identifier, session_key=client.session.session_key)
    pattern = ServicePattern.objects.get(name="ENT")
    return ProxyGrantingTicket.objects.create(user=user, service=ENT, service_pattern=pattern).value


def proxy_ticket(client, pgt, target):
    body = client.get("/cas/proxy", {"pgt": pgt, "targetService": target}).content.decode()
    if "proxySuccess" not in body:
        return None, body
    return body.split("<cas:proxyTicket>")[1].split("</cas:proxyTicket>")[0], body


def test_joint_account_proxy_ticket_carries_the_chosen_person(client, cas):
    ServicePattern.objects.filter(name="Notes et absences").update(proxy=True)
    luc = cas.joint.representatives.get(first_name="Luc")
    location = cas_login(client, "marie.bernard")
    assert location["Location"] == "/cas/choix-du-profil"
    response = client.get(client.post("/cas/choix-du-profil", {"person": f"r{luc.pk}"})["Location"])
    assert "ticket=" in response["Location"] and parse_qs(urlparse(response["Location"]).query)
    pt, _ = proxy_ticket(client, pgt_for(client, "marie.bernard"), NOTES)
    body = client.get("/cas/proxyValidate", {"ticket": pt, "service": NOTES}).content.decode()
    assert "<cas:FrEduVecteur>2|Bernard|Luc|7100|0790031E</cas:FrEduVecteur>" in body
    assert "Marie" not in body


def test_refused_pupil_gets_no_proxy_ticket_for_a_follow_up_service(client, cas):
    ServicePattern.objects.update(proxy=True)
    pupil = cas.pupil_2d.pupils.get()
    pupil.services_refused = True
    pupil.save()
    cas_login(client, "ines.durand")
    pgt = pgt_for(client, "ines.durand")
    pt, body = proxy_ticket(client, pgt, NOTES)
    assert pt is None and "UNAUTHORIZED_USER" in body
    assert proxy_ticket(client, pgt, ENT)[0] is not None

"""Fixtures of the SMS tests: a family known by its mobile, a CAS service, flow helpers."""

from __future__ import annotations

import datetime
import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from cas_server.models import ReplaceAttributName, ServicePattern
from django.urls import reverse
from lxml import etree

from cas_educonnect.routes.sms.backends import locmem

SERVICE = "https://ent.example.test/accueil"
MOBILE = "+33612345678"
LOCMEM = "cas_educonnect.routes.sms.backends.locmem.SmsBackend"


@pytest.fixture(autouse=True)
def sms_locmem(settings):
    """Every SMS test starts with the locmem gateway and an empty outbox."""
    settings.CAS_EDUCONNECT_SMS_BACKEND = LOCMEM
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture
def service(db):
    pattern = ServicePattern.objects.create(name="ENT test", pattern=r"^https://ent\.example\.test/", pos=1)
    ReplaceAttributName.objects.create(service_pattern=pattern, name="*", replace="")
    return SERVICE


@pytest.fixture
def family(establishment_factory, pupil_factory, representative_factory):
    """Élise Dupré-Lefèvre, mobile 06 12 34 56 78, one child in a collège and one in a lycée:
    two representative records (one per school), as the AAF export gives them."""
    college = establishment_factory(name="Collège Jean Moulin")
    lycee = establishment_factory(name="Lycée Victor Hugo")
    first = pupil_factory(
        establishment=college, first_name="Léo", last_name="Dupré-Lefèvre", birth_date=datetime.date(2012, 5, 3)
    )
    second = pupil_factory(
        establishment=lycee, first_name="Inès", last_name="Dupré-Lefèvre", birth_date=datetime.date(2008, 11, 21)
    )
    rep_a = representative_factory(
        children=[first], first_name="Élise", last_name="Dupré-Lefèvre", mobile=MOBILE, title="Mme"
    )
    rep_b = representative_factory(
        children=[second], first_name="Elise", last_name="DUPRE-LEFEVRE", mobile=MOBILE, title="Mme"
    )
    return {"pupils": [first, second], "reps": [rep_a, rep_b]}


def text(response) -> str:
    """The page as the user reads it (HTML entities decoded)."""
    return html.unescape(response.content.decode())


def last_code(outbox) -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1].body).group(1)


def start(client, mobile="06 12 34 56 78", last_name="dupre lefevre", first_name="ELISE", service=SERVICE):
    return client.post(
        reverse("cas_server:educonnect_sms_start"),
        {"last_name": last_name, "first_name": first_name, "mobile": mobile, "service": service},
    )


def enter_code(client, code):
    return client.post(reverse("cas_server:educonnect_sms_code"), {"code": code})


def enter_birth_dates(client, pupils, override=None):
    data = {f"pupil_{p.pk}": p.birth_date.isoformat() for p in pupils}
    data.update(override or {})
    return client.post(reverse("cas_server:educonnect_sms_birth_dates"), data)


def choose_password(client, password="Un-mot-de-passe-solide-42"):
    return client.post(
        reverse("cas_server:educonnect_sms_password"), {"new_password1": password, "new_password2": password}
    )


def ticket_attributes(client, response) -> tuple[str, dict[str, list[str]]]:
    """Follow complete_login's redirect to the CAS login, take the ticket, validate it (CAS 3)."""
    assert response.status_code == 302, response.content[:500]
    at_login = client.get(response["Location"])
    assert at_login.status_code == 302, at_login.content[:500]
    target = urlparse(at_login["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == SERVICE
    ticket = parse_qs(target.query)["ticket"][0]
    validation = client.get(reverse("cas_server:p3_serviceValidate"), {"service": SERVICE, "ticket": ticket})
    root = etree.fromstring(validation.content)
    ns = {"cas": "http://www.yale.edu/tp/cas"}
    user = root.findtext(".//cas:authenticationSuccess/cas:user", namespaces=ns)
    attributes: dict[str, list[str]] = {}
    for node in root.findall(".//cas:attributes/*", namespaces=ns):
        name = etree.QName(node).localname
        if name in {"authenticationDate", "longTermAuthenticationRequestTokenUsed", "isFromNewLogin"}:
            continue
        attributes.setdefault(name, []).append(node.text or "")
    return user, attributes

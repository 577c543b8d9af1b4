"""The demo's attribute personas reach the demo ENT with their vector."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from cas_educonnect.attributes import release

from .cas_helpers import cas_login, ticket_of
from .test_consumer import parse_vector


def test_every_attribute_persona_logs_in_to_the_demo_ent(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("educonnect_demo", "--json", "--base-url", "http://testserver", stdout=out)
    call_command("educonnect_demo", "--base-url", "http://testserver", stdout=StringIO())  # idempotent
    demo = json.loads(out.getvalue())
    service = demo["demo_service_url"]
    personas = [a for a in demo["accounts"] if a.get("route") == "attributes"]
    assert len(personas) == 8
    for persona in personas:
        client.logout()
        response = cas_login(client, persona["identifier"], service=service, password=persona["password"])
        if response["Location"] == "/cas/choix-du-profil":  # the joint account
            page = client.get(response["Location"]).content.decode()
            key = page.split('name="person" value="')[1].split('"')[0]
            response = client.get(client.post(response["Location"], {"person": key})["Location"])
        body = client.get("/cas/p3/serviceValidate", {"ticket": ticket_of(response), "service": service})
        text = body.content.decode()
        vectors = [v.split("</cas:FrEduVecteur>")[0] for v in text.split("<cas:FrEduVecteur>")[1:]]
        assert parse_vector(vectors), persona
        if "joint" not in persona["persona"] and "conjoint" not in persona["persona"]:
            assert vectors == release(persona["identifier"])["FrEduVecteur"]

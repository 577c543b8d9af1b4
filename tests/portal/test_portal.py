"""The profile page in front of /cas/login: routes, preselection, remembered choice, CAS parameters."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings

from cas_educonnect.attributes import release
from cas_educonnect.models import AccountKind, AccountState
from tests.legacy.helpers import SERVICE, login_page, post_credentials, ticket_of, validate

# The portal shows both routes: these tests need the legacy route too.
pytestmark = pytest.mark.routes("legacy")

COOKIE = "educonnect_profil"


@pytest.fixture
def aten_account(account_factory, pupil_factory):
    pupil = pupil_factory(first_name="Léa", last_name="Martin")
    account = account_factory(kind=AccountKind.PUPIL, state=AccountState.ACTIVE, pupils=[pupil])
    account.password = make_password("choisi-2026")
    account.provisional_password = ""
    account.save()
    return account


def test_profile_page_lists_both_routes_with_the_cas_parameters(client, demo_service):
    page = login_page(client, renew="true", warn="on")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="profil-educonnect"' in html and 'id="profil-autres-publics"' in html
    hrefs = [h for h in html.split('href="')[1:] if h.startswith("/cas/login?")]
    params = [parse_qs(urlsplit(h.split('"', 1)[0].replace("&amp;", "&")).query) for h in hrefs]
    assert {p["idpId"][0] for p in params} == {"educonnect", "autres-publics"}
    assert all(p["service"] == [SERVICE] and p["renew"] == ["true"] and p["warn"] == ["on"] for p in params)
    assert COOKIE not in page.cookies


def test_gateway_never_shows_the_profile_page(client, demo_service):
    response = login_page(client, gateway="true")
    assert response.status_code == 302
    assert response["Location"] == SERVICE


@pytest.mark.parametrize(
    ("param", "value", "route"),
    [
        ("idpId", "autres-publics", "autres-publics"),
        ("selection", "educonnect", "educonnect"),
        ("idpId", "AUTRES", "autres-publics"),
        ("selection", "eleves-parents", "educonnect"),
    ],
)
def test_preselection_parameter_shows_the_route_and_remembers_it(client, demo_service, param, value, route):
    page = login_page(client, **{param: value})
    assert f'id="route-{route}"' in page.content.decode()
    assert page.cookies[COOKIE].value == route
    again = login_page(client)
    assert f'id="route-{route}"' in again.content.decode()


def test_unknown_preselection_shows_the_profile_page(client, demo_service):
    page = login_page(client, idpId="nowhere")
    assert 'id="profil-educonnect"' in page.content.decode()


def test_reset_link_forgets_the_remembered_profile(client, demo_service):
    login_page(client, idpId="autres-publics")
    reset = client.get(f"/cas/profil/reinitialiser?service={SERVICE}")
    assert reset.status_code == 302
    assert reset.cookies[COOKIE].value == ""
    page = client.get(reset["Location"])
    assert 'id="profil-autres-publics"' in page.content.decode()


@override_settings(
    CAS_EDUCONNECT_PORTAL_EXTRA_ENTRIES=[
        {"id": "partenaires", "label": "Partenaires", "description": "Accès partenaires", "url": "/ailleurs/"}
    ]
)
def test_operator_extra_entry_is_listed_and_forwards_the_cas_parameters(client, demo_service):
    page = login_page(client)
    assert 'id="profil-partenaires"' in page.content.decode()
    response = login_page(client, idpId="partenaires")
    assert response.status_code == 302
    assert response["Location"] == f"/ailleurs/?{'service=http%3A%2F%2Ftestserver%2Fdemo-ent%2F'}"


SNIPPET_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "context_processors": ["django.template.context_processors.request"],
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {"extra/button.html": '<a id="extra" href="/x?s={{ service }}">X</a>'},
                ),
                "django.template.loaders.app_directories.Loader",
            ],
        },
    }
]


@override_settings(TEMPLATES=SNIPPET_TEMPLATES, CAS_EDUCONNECT_PORTAL_EDUCONNECT_SNIPPETS=["extra/button.html"])
def test_educonnect_page_includes_the_configured_snippets(client, demo_service):
    html = login_page(client, idpId="educonnect").content.decode()
    assert f'<a id="extra" href="/x?s={SERVICE}">X</a>' in html
    assert 'id="extra"' not in login_page(client, idpId="autres-publics").content.decode()


@override_settings(
    CAS_EDUCONNECT_PORTAL_LOST_IDENTIFIER_URL="/perdu/identifiant/",
    CAS_EDUCONNECT_PORTAL_LOST_PASSWORD_URL="cas_server:no-such-route",
)
def test_lost_credential_links_come_from_settings(client, demo_service):
    html = login_page(client, idpId="educonnect").content.decode()
    assert f'id="lost-identifier" href="/perdu/identifiant/?service={quote(SERVICE, safe="")}"' in html
    assert 'id="lost-password"' not in html


def test_educonnect_route_end_to_end_to_the_demo_service(client, demo_service, aten_account):
    page = login_page(client, idpId="educonnect")
    ticket = ticket_of(post_credentials(client, page, aten_account.identifier, "choisi-2026"))
    user, attributes = validate(client, ticket)
    assert user == aten_account.identifier
    assert attributes == release(aten_account.identifier)


def test_legacy_route_end_to_end_to_the_demo_service(client, demo_service, legacy_factory):
    account = legacy_factory(identifier="jdupont", category="teacher")
    page = login_page(client, idpId="autres-publics")
    ticket = ticket_of(post_credentials(client, page, "jdupont", "secret"))
    user, attributes = validate(client, ticket)
    assert user == "jdupont"
    assert attributes == release(account.identifier)


def test_failed_login_shows_the_same_route_again(client, demo_service, legacy_factory):
    legacy_factory(identifier="jdupont")
    page = login_page(client, idpId="autres-publics")
    again = post_credentials(client, page, "jdupont", "wrong")
    html = again.content.decode()
    assert again.status_code == 200
    assert 'id="route-autres-publics"' in html and 'id="login-errors"' in html
    assert '<label class="fr-label" for="id_username">Identifiant' in html  # our label, not the host's
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html
    assert not client.session.get("authenticated")


def test_warn_keeps_its_cas_meaning(client, demo_service, aten_account):
    page = login_page(client, idpId="educonnect")
    ticket_of(post_credentials(client, page, aten_account.identifier, "choisi-2026", warn="on"))
    second = login_page(client)
    assert second.status_code == 200  # the host's warn page, not a silent ticket
    assert 'name="warned"' in second.content.decode()


def test_renew_asks_for_credentials_again_on_the_chosen_route(client, demo_service, aten_account):
    page = login_page(client, idpId="educonnect")
    ticket_of(post_credentials(client, page, aten_account.identifier, "choisi-2026"))
    assert login_page(client).status_code == 302  # SSO
    renewed = login_page(client, renew="true")
    html = renewed.content.decode()
    assert renewed.status_code == 200 and 'id="route-educonnect"' in html
    assert 'name="renew" value="True"' in html
    ticket_of(post_credentials(client, renewed, aten_account.identifier, "choisi-2026"))

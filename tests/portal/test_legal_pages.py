"""Help and legal pages: reached from the login page and every public page's footer, their
facts from CAS_EDUCONNECT_LEGAL_INFORMATION, the retention periods from the purge settings."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import html

PAGES = {
    "cas_server:educonnect_help": "Aide et contact",
    "cas_server:educonnect_legal_notice": "Mentions légales",
    "cas_server:educonnect_privacy": "Données personnelles",
    "cas_server:educonnect_accessibility": "Déclaration d'accessibilité",
}


def footer_links(response) -> dict[str, str]:
    tree = html.fromstring(response.content.decode())
    return {a.text_content().strip(): a.get("href") for a in tree.xpath("//footer//a[@class='fr-footer__bottom-link']")}


@pytest.mark.django_db
def test_login_page_links_to_help_and_every_public_page_has_the_footer(client):
    login = client.get("/cas/login")
    assert reverse("cas_server:educonnect_help") in login.content.decode()
    for name, heading in PAGES.items():
        page = client.get(reverse(name))
        assert page.status_code == 200 and heading in page.content.decode()
        links = footer_links(page)
        assert set(links.values()) == {reverse(n) for n in PAGES}, links
        assert "Accessibilité : non conforme" in links
    assert footer_links(login)  # the login page too


@pytest.mark.django_db
def test_the_pages_say_what_the_academy_set(client, settings):
    settings.CAS_EDUCONNECT_LEGAL_INFORMATION = {
        "publisher": "Rectorat de l'académie de Rennes",
        "contact_email": "assistance@ac-rennes.fr",
        "dpo_contact": "dpd@ac-rennes.fr",
        "accessibility_status": "partial",
    }
    settings.CAS_EDUCONNECT_PURGE_UNUSED_DAYS = 400
    privacy = client.get(reverse("cas_server:educonnect_privacy")).content.decode()
    assert "dpd@ac-rennes.fr" in privacy and "inutilisé pendant 400 jours" in privacy
    assert "Rectorat de l&#x27;académie de Rennes est responsable" in privacy
    assert 'href="mailto:assistance@ac-rennes.fr"' in privacy  # the footer's contact
    accessibility = client.get(reverse("cas_server:educonnect_accessibility")).content.decode()
    assert "Ce service est partiellement conforme" in accessibility
    assert "Accessibilité : partiellement conforme" in accessibility
    notice = client.get(reverse("cas_server:educonnect_legal_notice")).content.decode()
    assert "Le recteur ou la rectrice" in notice  # a key not given keeps its default

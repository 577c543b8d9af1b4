"""The host's pages are DSFR pages of ours, with assets served locally (no CDN)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import RequestFactory

from cas_educonnect.host.patches import HOST_DEFAULTS


def test_host_template_settings_point_at_our_templates(settings):
    for name in ("CAS_LOGIN_TEMPLATE", "CAS_LOGGED_TEMPLATE", "CAS_LOGOUT_TEMPLATE", "CAS_WARN_TEMPLATE"):
        assert getattr(settings, name) == HOST_DEFAULTS[name]
        assert getattr(settings, name).startswith("cas_educonnect/host/")


@pytest.mark.django_db
def test_every_login_page_uses_local_assets_only(client, settings):
    """Whatever /cas/login shows (portal profile page or host form), no asset from a CDN."""
    html = client.get("/cas/login").content.decode()
    assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html)
    assert assets and all(url.startswith("/static/") and finders.find(url[len("/static/") :]) for url in assets)


@pytest.mark.django_db
def test_login_page_is_dsfr_french_and_local(client, settings):
    # The host's own login template (CAS_LOGIN_TEMPLATE), as rendered without the portal.
    settings.CAS_EDUCONNECT_PORTAL_ENABLED = False
    response = client.get("/cas/login", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "fr-header" in html and "fr-footer" in html and "fr-skiplinks" in html
    assert 'href="#content"' in html and 'id="content"' in html
    assert "Éducation" in html
    # Form fields styled for DSFR, not Bootstrap; the host's hidden LT is kept.
    assert 'class="fr-input"' in html and "form-control" not in html
    assert 'name="lt"' in html
    # No CDN: every stylesheet and script comes from our static files, and they exist.
    assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html)
    assert assets, "no stylesheet or script on the page"
    for url in assets:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    assert "cdn." not in html and "jquery" not in html.lower()


@pytest.mark.django_db
def test_logout_page_renders_with_base(client):
    response = client.get("/cas/logout")
    assert response.status_code == 200
    assert b"fr-alert--success" in response.content
    assert b"fr-header" in response.content


def test_base_template_blocks_render():
    request = RequestFactory().get("/")
    request.session = {}
    html = render_to_string("cas_educonnect/base.html", {"request": request})
    assert "<title>" in html and "ÉduConnect" in html
    assert 'id="footer"' in html

"""The visual sweep reports what a person meets and axe-core does not: proven on purpose-broken pages.

Each page is this package's base template with one defect, served at a live-server address
(so DSFR's CSS and script load as on a real page); the same page without the defect passes.
"""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tests.visual.sweep import Watch, shot_path, visual_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD_FIELD = (
    '<div class="fr-input-group"><label class="fr-label" for="id_name">Nom</label>'
    '<input class="fr-input" id="id_name" name="name" type="text"></div>'
)
DEFECTS = {
    # The SMS pages' fields before they went through the DSFR field template.
    "unstyled input": '<label class="fr-label" for="id_code">Code reçu par SMS</label><input id="id_code" name="code">',
    # The admin's « Assistance » block: a column squeezed to nothing, its actions spilling out.
    "0-px block": (
        '<div style="display:flex"><div style="flex:1 0 100%">Compte</div>'
        '<div id="assistance" style="flex:0 1 0;min-width:0;width:0">'
        '<a class="fr-link" href="/modifier/">Modifier</a><button class="fr-btn">Enregistrer</button></div></div>'
    ),
    "0-px block, overflow hidden": (
        '<div id="assistance" style="width:0;overflow:hidden"><a class="fr-link" href="/modifier/">Modifier</a></div>'
    ),
    "under overflow": (
        '<div id="cut" style="height:2rem;overflow:hidden"><p style="margin-top:4rem">'
        '<a class="fr-link" href="/modifier/">Modifier</a></p></div>'
    ),
    "off the page": '<a class="fr-link" style="position:absolute;left:-5000px" href="/modifier/">Modifier</a>',
    "label without field": '<label class="fr-label" for="nowhere">Courriel</label>',
    "wide block": '<div style="width:900px">Un bloc plus large que le téléphone</div>',
    "English": "<p>Granted by the establishment</p>",
    "missing resource": '<img alt="Logo" src="/static/nowhere/logo.png">',
    "script error": "<script>document.querySelector('#nothing').innerHTML;</script>",
}
REPORTED = {
    "unstyled input": ("layout 1280px", "input#id_code[name=code]: no visible edge"),
    "0-px block": ("layout 375px", "inside a 0-px-wide block div#assistance"),
    "0-px block, overflow hidden": ("layout 1280px", "a.fr-link «Modifier»: inside a 0-px-wide block div#assistance"),
    "under overflow": ("layout 1280px", "a.fr-link «Modifier»: hidden by the overflow of div#cut"),
    "off the page": ("layout 1280px", "a.fr-link «Modifier»: off the page"),
    "label without field": ("layout 1280px", "label.fr-label «Courriel»: label without a field"),
    "wide block": ("layout 375px", "horizontal scroll"),
    "English": ("not French", "Granted by the establishment"),
    "missing resource": ("console and loads", "404 GET"),
    "script error": ("console and loads", "exception: Cannot read properties of null (reading 'innerHTML')"),
}


def render(body: str) -> str:
    template = Template(
        '{% extends "cas_educonnect/base.html" %}{% block content %}<h1>Connexion</h1>'
        "<form>" + GOOD_FIELD + "{{ body|safe }}</form>{% endblock %}"
    )
    request = RequestFactory().get("/")
    request.session = {}
    request.csp_nonce = ""
    return template.render(Context({"request": request, "body": body}))


def open_page(page, live_server, body: str) -> None:
    url = f"{live_server.url}/visual-sweep-test/"
    html = render(body)
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
    page.goto(url)
    page.wait_for_load_state("load")


@pytest.fixture
def watch(page):
    watch = Watch(page)
    yield watch
    watch.close()


def test_a_sound_page_passes(page, live_server, watch):
    open_page(page, live_server, "")
    assert visual_problems(page, "visual-test/sound", watch) == {}
    assert shot_path("visual-test/sound", 375).exists()


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_the_sweep_reports_a_broken_page(page, live_server, watch, defect):
    open_page(page, live_server, DEFECTS[defect])
    problems = visual_problems(page, f"visual-test/{defect}", watch)
    key, expected = REPORTED[defect]
    assert any(expected in line for line in problems.get(key, ())), problems


def test_the_sweep_reads_the_server_log_for_loads_the_browser_hides(page, live_server, watch):
    """Chromium asks /favicon.ico of a page without icon links (CAS 1 validation's plain text
    here), a request Playwright's events never show: the server's log tells."""
    page.goto(f"{live_server.url}/cas/validate?service=https://x.example/&ticket=ST-0")
    page.wait_for_load_state("load")
    problems = visual_problems(page, "visual-test/no-icon", watch)
    assert "404 /favicon.ico (server log)" in problems.get("console and loads", []), problems

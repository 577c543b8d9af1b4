"""A directory change made elsewhere, with no signal, reaches the next ticket of every gunicorn worker.

Each worker keeps the subjects it read (``attributes.shared``); the change here is an
``UPDATE`` from another process (``manage.py shell``, ``QuerySet.update()``: no signal, as the
AAF import's SQL or another app server), so only the digest check in each ticket's ``INSERT``
can tell the workers.
"""

from __future__ import annotations

import pytest

from bench.load.fixtures import OUR_SERVICES

from .conftest import Browser, logged_in_parent

SERVICE = OUR_SERVICES[0]
REQUESTS = 12  # several per worker (4), whichever worker accepts each connection

UPDATE = """
from cas_educonnect.models import Representative
Representative.objects.filter(jointure="R-SHARED").update(first_name={first_name!r}, services_refused={refused!r})
"""


@pytest.fixture(scope="module")
def parent(gunicorn_server):
    return logged_in_parent(gunicorn_server, "SHARED", "0790098C", SERVICE, "192.0.2.97")


def released(browser: Browser) -> list[str]:
    """The validation documents of REQUESTS tickets, each issued by whichever worker accepted it."""
    bodies = []
    for _ in range(REQUESTS):
        issued = browser.http.get(browser.base + "/cas/login", params={"service": SERVICE}, allow_redirects=False)
        location = issued.headers.get("Location", "")
        assert issued.status_code == 302 and "ticket=" in location, (issued.status_code, issued.text[:300])
        ticket = location.split("ticket=")[1]
        body = browser.http.get(browser.base + "/cas/p3/serviceValidate", params={"ticket": ticket, "service": SERVICE})
        assert "<cas:authenticationSuccess>" in body.text, body.text[:300]
        bodies.append(body.text)
    return bodies


def test_every_worker_releases_a_change_made_without_signal(gunicorn_server, parent):
    first = released(parent)
    assert all("<cas:givenName>Paul<" in body for body in first), first[0]  # every worker keeps the subject
    gunicorn_server.manage_output("shell", "-c", UPDATE.format(first_name="Zélie", refused=False))
    bodies = released(parent)
    assert all("<cas:givenName>Zélie<" in body and "Paul" not in body for body in bodies), bodies[0]


def test_every_worker_obeys_a_refusal_made_without_signal(gunicorn_server, parent):
    released(parent)
    gunicorn_server.manage_output("shell", "-c", UPDATE.format(first_name="Zélie", refused=True))
    refused = parent.http.get(parent.base + "/cas/login", params={"service": SERVICE}, allow_redirects=False)
    assert refused.status_code == 403 and "ticket=" not in refused.headers.get("Location", "")
    for _ in range(REQUESTS):  # the refusal ended the SSO session: no worker issues a ticket
        again = parent.http.get(parent.base + "/cas/login", params={"service": SERVICE}, allow_redirects=False)
        assert "ticket=" not in again.headers.get("Location", ""), again.status_code

"""Fixtures of the live tests: one gunicorn server per session, HTTP clients with their own session."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bench.load.client import hidden_fields
from bench.load.fixtures import PASSWORD
from tests.live.server import LiveServer, unavailable

LOCKED = "Trop de tentatives infructueuses"
WRONG = "Les informations transmises n'ont pas permis de vous authentifier"


def pytest_collection_modifyitems(config, items):
    reason = unavailable()
    if reason:
        for item in items:
            if "tests/live/" in str(item.fspath).replace("\\", "/"):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def gunicorn_server():
    server = LiveServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_server_url(gunicorn_server):
    return gunicorn_server.base


class Browser:
    """One visitor: a requests session, the login page fetched for its CSRF cookie and LT."""

    def __init__(self, base: str, ip: str, proxy_prefix: str = "") -> None:
        self.base, self.http = base, requests.Session()
        # What the trusted proxy would send: the client's own words (if any), then its address.
        self.http.headers["X-Forwarded-For"] = f"{proxy_prefix}{ip}"

    def login_form(self) -> dict[str, str]:
        page = self.http.get(self.base + "/cas/login", params={"idpId": "educonnect"}, timeout=30)
        fields = hidden_fields(page.text)
        assert "lt" in fields, page.text[:500]
        return fields

    def post_login(self, fields: dict[str, str], username: str, password: str) -> requests.Response:
        data = {**fields, "username": username, "password": password}
        referer = {"Referer": self.base + "/cas/login"}
        return self.http.post(self.base + "/cas/login", data=data, headers=referer, allow_redirects=False, timeout=60)


def answer(response: requests.Response) -> str:
    """``locked``, ``wrong`` (a password was checked and refused) or ``logged`` (302 / success)."""
    text = re.sub(r"&#x27;|&#39;", "'", response.text)
    if LOCKED in text:
        return "locked"
    if response.status_code == 302 or "Connexion réussie" in text or "vous êtes connecté" in text.lower():
        return "logged"
    return "wrong" if response.status_code == 200 else f"http {response.status_code}"


def in_parallel(function, arguments):
    """Run ``function`` on each argument in its own thread, all released together."""
    barrier = threading.Barrier(len(arguments))

    def run(argument):
        barrier.wait(timeout=60)
        return function(argument)

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(run, arguments))


PARENT = """
from django.contrib.auth.hashers import make_password
from cas_educonnect.models import Account, AccountKind, AccountState, Establishment, Pupil, Representative
school = Establishment.objects.create(uai={uai!r}, jointure="S-" + {tag!r}, name={school!r}, degree="2D",
                                   academy_code="DEMO")
rep = Representative.objects.create(jointure="R-" + {tag!r}, last_name={last_name!r}, first_name="Paul", title="M.")
pupil = Pupil.objects.create(jointure="E-" + {tag!r}, struct_id={struct_id!r}, last_name={last_name!r},
                             first_name="Lou", establishment=school)
rep.links.create(pupil=pupil, legal=1, link_code="20")
account = Account.objects.create(identifier={identifier!r}, kind=AccountKind.REPRESENTATIVE,
                                 state=AccountState.ACTIVE, password=make_password({password!r}))
account.representatives.set([rep])
"""


def logged_in_parent(server, tag: str, uai: str, service: str, ip: str) -> Browser:
    """``<tag>.parent``, a parent (Paul <Tag>) of one pupil in school ``uai``, created by another
    process (``manage.py shell``) and logged in for ``service`` from ``ip``."""
    identifier = f"{tag.lower()}.parent"
    names = {"tag": tag, "school": f"Collège {tag.title()}", "last_name": tag.title()}
    script = PARENT.format(identifier=identifier, password=PASSWORD, uai=uai, struct_id="7" + uai[1:7], **names)
    server.manage_output("shell", "-c", script)
    browser = Browser(server.base, ip)
    response = browser.post_login({**browser.login_form(), "service": service}, identifier, PASSWORD)
    assert response.status_code == 302 and "ticket=" in response.headers["Location"], response.text[:500]
    return browser

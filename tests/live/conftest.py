"""Fixtures of the live tests: one gunicorn server per session, HTTP clients with their own session."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bench.load.client import hidden_fields
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

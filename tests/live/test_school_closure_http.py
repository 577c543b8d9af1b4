"""A school closing a service in one process is obeyed at once by every gunicorn worker.

The closures are kept in each worker's memory (``staff.closure``); the closure here is made by
another process (``manage.py shell``, as the staff admin on another app server), so only the
shared version in Redis tells the workers. Without it they would issue tickets for up to
``CAS_EDUCONNECT_SCHOOL_CLOSURE_CACHE_SECONDS`` (60 s).
"""

from __future__ import annotations

import time

import pytest

from bench.load.fixtures import OUR_SERVICES
from cas_educonnect.core.memo import VERSION_CHECK_SECONDS

from .conftest import Browser, logged_in_parent

SERVICE = OUR_SERVICES[0]
REQUESTS = 12  # several per worker (4), whichever worker accepts each connection
CLOSED = "a fermé le service en ligne"

SET_OPEN = """
from cas_server.models import ServicePattern
from cas_educonnect.models import Establishment
from cas_educonnect.staff.services import set_service_open
set_service_open(Establishment.objects.get(uai="0790099D"), ServicePattern.validate({service!r}), {is_open!r})
"""


@pytest.fixture(scope="module")
def parent(gunicorn_server):
    return logged_in_parent(gunicorn_server, "CLOSURE", "0790099D", SERVICE, "192.0.2.98")


def issuances(browser: Browser) -> list[int]:
    """The status of REQUESTS ticket issuances for SERVICE (302: a ticket, 403: refused)."""
    statuses = []
    for _ in range(REQUESTS):
        response = browser.http.get(
            browser.base + "/cas/login", params={"service": SERVICE}, allow_redirects=False, timeout=30
        )
        assert response.status_code == 403 or "ticket=" in response.headers.get("Location", ""), response.text[:300]
        if response.status_code == 403:
            assert CLOSED in response.text, response.text[:500]
        statuses.append(response.status_code)
    return statuses


def set_open(gunicorn_server, is_open: bool) -> None:
    gunicorn_server.manage_output("shell", "-c", SET_OPEN.format(service=SERVICE, is_open=is_open))
    time.sleep(VERSION_CHECK_SECONDS + 0.2)  # each worker reads the shared version once a second


def test_a_closure_made_elsewhere_is_obeyed_by_every_worker(gunicorn_server, parent):
    assert issuances(parent) == [302] * REQUESTS  # every worker has the (empty) closures in memory
    set_open(gunicorn_server, False)
    try:
        assert issuances(parent) == [403] * REQUESTS
    finally:
        set_open(gunicorn_server, True)
    assert issuances(parent) == [302] * REQUESTS

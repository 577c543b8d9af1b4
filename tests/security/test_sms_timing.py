# ruff: noqa: F811  (pytest fixtures imported from the feature suites are redefined as arguments)
"""SMS registration: no timing oracle, proven by structure rather than by a stopwatch.

A known number used to cost a Twilio HTTPS call inside the request and an unknown one
nothing, so the response time told whether a number is in the directory. Now the request
path is the same for both (``cas_educonnect.routes.sms.delivery``): these tests run the start page
for a known and an unknown number with the real Twilio client against the local Twilio
peer and the database task queue, and prove that during the requests the gateway is never
called, both execute the same SQL statements (literals aside) and queue the same task with
an opaque argument; only the worker, afterwards, sends the one SMS.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from cas_educonnect.routes.sms.models import CodeChallenge, SentSms
from tests.sms.conftest import MOBILE, SERVICE, sms_locmem  # noqa: F401
from tests.sms.conftest import family as sms_family  # noqa: F401
from tests.sms.conftest import service as sms_service  # noqa: F401
from tests.sms.test_twilio import twilio  # noqa: F401

UNKNOWN = "+33798765432"
# Values, and the savepoint names Django numbers per transaction.
LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b|\bs\d+_x\d+\b")


def shape(sql: str) -> str:
    """A statement without its values: what the database is asked to do, not with what."""
    return LITERALS.sub("?", sql)


def ask_for_a_code(number: str, ip: str) -> tuple[Client, list[str]]:
    """POST the start page from a fresh browser; returns it and the shapes of the SQL run."""
    browser = Client(REMOTE_ADDR=ip)
    browser.get(reverse("cas_server:educonnect_sms_start"))  # the session exists before, as for a person
    data = {"last_name": "Dupré-Lefèvre", "first_name": "Élise", "mobile": number, "service": SERVICE}
    with CaptureQueriesContext(connection) as queries:
        response = browser.post(reverse("cas_server:educonnect_sms_start"), data)
    assert response.status_code == 302 and response["Location"] == reverse("cas_server:educonnect_sms_code")
    return browser, [shape(query["sql"]) for query in queries.captured_queries]


@pytest.fixture
def queued(settings, twilio):
    """The production arrangement: SMS delivery goes to the database task queue."""
    settings.CAS_EDUCONNECT_TASK_BACKEND = "database"
    return twilio


@pytest.mark.django_db(transaction=True)
def test_known_and_unknown_numbers_do_the_same_work_in_the_request(queued, sms_family, sms_service):
    cache.clear()
    ask_for_a_code("+33687654321", "192.0.2.9")  # warms the caches (service patterns...) for both
    known_browser, known = ask_for_a_code(MOBILE, "192.0.2.10")
    unknown_browser, unknown = ask_for_a_code(UNKNOWN, "192.0.2.11")

    # The gateway was not called by either request: no HTTP call, no SentSms row.
    assert queued.messages == [] and queued.requests == 0
    assert not SentSms.objects.exists()
    # The same statements, in the same order: no branch on whether the number is known.
    assert known == unknown
    assert any("educonnect_sms_codechallenge" in sql for sql in known)
    # One task each, the same task, and its argument reveals neither number nor code.
    tasks = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [t.task_path for t in tasks] == ["cas_educonnect.routes.sms.delivery.deliver_code"] * 3
    for task in tasks:
        stored = str(task.args_kwargs)
        assert "612345678" not in stored and "798765432" not in stored
    # The challenges look alike too: no code hash yet, same expiry rule.
    challenges = {c.number_masked: c for c in CodeChallenge.objects.all()}
    assert {bool(c.code_hash) for c in challenges.values()} == {False}

    # Afterwards, out of any request, the worker sends the one SMS there is to send.
    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "database", verbosity=0)
    assert [m["To"] for m in queued.messages] == [MOBILE]
    assert sorted(t.return_value for t in DBTaskResult.objects.all()) == ["nobody", "nobody", "sent"]
    assert SentSms.objects.get().status == SentSms.Status.SENT
    code = re.search(r"\b(\d{6})\b", queued.messages[0]["Body"]).group(1)
    assert known_browser.post(reverse("cas_server:educonnect_sms_code"), {"code": code}).status_code == 302
    page = unknown_browser.post(reverse("cas_server:educonnect_sms_code"), {"code": code})
    assert page.status_code == 200, "no code works for an unknown number"


@pytest.mark.django_db
def test_the_immediate_backend_with_a_real_gateway_is_flagged(settings, twilio):
    """In tests and the demo the task runs inline; with a real gateway that is the oracle back."""
    from cas_educonnect.routes.sms.checks import check_sms_settings

    settings.CAS_EDUCONNECT_TASK_BACKEND = "default"  # ImmediateBackend in tests/settings.py
    assert "educonnect_sms.W002" in [m.id for m in check_sms_settings()]
    settings.CAS_EDUCONNECT_TASK_BACKEND = "database"
    assert "educonnect_sms.W002" not in [m.id for m in check_sms_settings()]

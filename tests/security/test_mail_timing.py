"""Self-service mail: no timing oracle, proven by structure rather than by a stopwatch.

A known identifier or address used to cost a lookup, a token and an SMTP send inside the
request, an unknown one nothing. Now (``cas_educonnect.routes.aten.deliveries``) both run the
same SQL statements in the request, send nothing there and queue the same task with an opaque
argument; only the worker, afterwards, sends the one mail.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from cas_educonnect.models import AccountState
from tests.host.conftest import PASSWORD, login
from tests.security.test_sms_timing import shape

TASK = "cas_educonnect.routes.aten.deliveries.send_self_service_mail"


def ask(url: str, data: dict, ip: str) -> list[str]:
    """POST ``url`` from a fresh browser; the shapes of the SQL it ran."""
    browser = Client(REMOTE_ADDR=ip)
    browser.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = browser.post(url, data)
    assert response.status_code == 200
    return [shape(query["sql"]) for query in queries.captured_queries]


@pytest.fixture
def known(account_factory, settings):
    settings.CAS_EDUCONNECT_TASK_BACKEND = "database"
    account = account_factory(state=AccountState.ACTIVE, identifier="paul.martin", password="x")
    account.email, account.email_validated = "paul@ex.fr", True
    account.save()
    return account


@pytest.mark.parametrize(
    ("url", "field", "known_value", "unknown_value"),
    [
        ("/cas/aten/lost-password/", "identifier", "paul.martin", "personne.inconnue"),
        ("/cas/aten/lost-identifier/", "email", "paul@ex.fr", "nobody@ex.fr"),
    ],
    ids=["lost-password", "lost-identifier"],
)
@pytest.mark.django_db(transaction=True)
def test_known_and_unknown_do_the_same_work_in_the_request(known, url, field, known_value, unknown_value):
    cache.clear()
    ask(url, {field: "warm.up@ex.fr" if field == "email" else "warm.up"}, "192.0.2.9")
    with_account = ask(url, {field: known_value}, "192.0.2.10")
    without = ask(url, {field: unknown_value}, "192.0.2.11")

    assert mail.outbox == [], "no mail leaves inside a request"
    assert with_account == without, "the same statements, in the same order"
    assert not any("cas_educonnect_account" in sql for sql in with_account), "no account lookup in the request"
    tasks = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [t.task_path for t in tasks] == [TASK] * 3
    for task in tasks:
        stored = str(task.args_kwargs)
        assert "paul" not in stored and "nobody" not in stored and "inconnue" not in stored

    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "database", verbosity=0)
    assert [m.to for m in mail.outbox] == [["paul@ex.fr"]]
    assert sorted(t.return_value for t in DBTaskResult.objects.all()) == ["nobody", "nobody", "sent"]


@pytest.mark.django_db(transaction=True)
def test_email_change_is_mailed_by_the_worker(known, client):
    known.password = make_password(PASSWORD)
    known.save()
    login(client, known.identifier)
    response = client.post("/cas/aten/account/email/", {"email": "nouveau@ex.fr", "email2": "nouveau@ex.fr"})
    assert response.status_code == 302 and mail.outbox == []
    (task,) = DBTaskResult.objects.all()
    assert task.task_path == TASK and "nouveau" not in str(task.args_kwargs)
    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "database", verbosity=0)
    assert [m.to for m in mail.outbox] == [["nouveau@ex.fr"]]

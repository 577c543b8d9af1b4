"""The ticket hot path: one write per issued ticket, two queries per validation, same attributes as the host."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from cas_server.models import ReplaceAttributName, ReplaceAttributValue, ServicePattern, ServiceTicket
from cas_server.models import User as CasUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cas_educonnect.host import patches, tickets

from .conftest import SERVICE, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(active_account):
    return CasUser.objects.create(username=active_account.identifier, session_key="hot-path")


def rewriting_pattern(user: CasUser, star: bool) -> ServicePattern:
    """A pattern renaming every released attribute but one, rewriting two values, or releasing all."""
    keys = sorted(user.attributs)
    assert len(keys) >= 3, keys
    pattern = ServicePattern.objects.create(name="rw", pattern="^" + re.escape("https://rw.example.test/"), pos=5)
    names = {"*": ""} if star else {key: f"renamed_{key}" for key in keys[1:]}
    for name, replace in names.items():
        ReplaceAttributName.objects.create(service_pattern=pattern, name=name, replace=replace)
    for key in keys[:2]:
        ReplaceAttributValue.objects.create(service_pattern=pattern, attribut=key, pattern="^(.)", replace=r"<\1>")
    return pattern


@pytest.mark.parametrize("star", [False, True])
def test_released_attributes_are_the_hosts(user, star):
    pattern = rewriting_pattern(user, star)
    ours = tickets.user_get_ticket(user, ServiceTicket, "https://rw.example.test/a", pattern, False)
    host_get_ticket = patches.original("cas_server.models.User.get_ticket")
    host = host_get_ticket(user, ServiceTicket, "https://rw.example.test/a", pattern, False)
    assert ours.attributs == host.attributs
    keys = sorted(user.attributs)
    assert (keys[0] in ours.attributs) is star
    rewritten = ours.attributs[keys[1] if star else f"renamed_{keys[1]}"]
    assert all(value.startswith("<") for value in (rewritten if isinstance(rewritten, list) else [rewritten]))


def test_an_issued_ticket_is_written_once(user):
    pattern = rewriting_pattern(user, star=False)
    with CaptureQueriesContext(connection) as captured:
        ticket = tickets.user_get_ticket(user, ServiceTicket, "https://rw.example.test/", pattern, False)
    writes = [q["sql"] for q in captured if "serviceticket" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert len(writes) == 1 and "INSERT INTO" in writes[0], writes
    assert ServiceTicket.objects.get(pk=ticket.pk).attributs == ticket.attributs != {}


def test_validation_costs_two_queries(client, service_pattern, active_account, django_assert_num_queries):
    response = login(client, active_account.identifier, service=SERVICE)
    ticket = response["Location"].split("ticket=")[1]
    # PostgreSQL: one statement (claim and read); others: the claim (UPDATE), then the read.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        body = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": SERVICE}).content
    assert b"<cas:authenticationSuccess>" in body


@pytest.mark.parametrize("kept", [5000, 0])
def test_issuance_in_an_open_session_costs_two_or_three_queries(
    client, service_pattern, active_account, django_assert_num_queries, settings, kept
):
    settings.CAS_EDUCONNECT_SHARED_SUBJECTS = kept
    login(client, active_account.identifier, service=SERVICE)
    client.get("/cas/login", {"service": SERVICE})  # warm: patterns read once per process
    # session, account with its identity vector, ticket INSERT (proving the SSO user's row):
    # no read of the SSO user, no pattern read, no user write. On PostgreSQL the account's
    # subject kept by the previous ticket needs no read (the INSERT checks its rows' digest).
    # Elsewhere the conditional touch of the SSO user is a statement of its own (writing
    # nothing here) and no subject is kept.
    expected = (2 if kept else 3) if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(expected):
        response = client.get("/cas/login", {"service": SERVICE})
    assert response.status_code == 302 and "ticket=" in response["Location"]


def test_session_activity_is_written_at_most_once_per_interval(user, settings):
    settings.CAS_EDUCONNECT_SESSION_TOUCH_SECONDS = 60
    pattern = ServicePattern.objects.create(name="t", pattern="^https://t\\.example\\.test/", pos=7)
    stale = timezone.now() - timedelta(seconds=61)
    CasUser.objects.filter(pk=user.pk).update(date=stale)
    user.refresh_from_db()
    tickets.user_get_ticket(user, ServiceTicket, "https://t.example.test/", pattern, False)
    touched = CasUser.objects.get(pk=user.pk).date
    assert touched > stale
    with CaptureQueriesContext(connection) as captured:
        tickets.user_get_ticket(user, ServiceTicket, "https://t.example.test/", pattern, False)
    statements = [q["sql"] for q in captured if "INSERT" in q["sql"] or "UPDATE" in q["sql"]]
    # One statement (PostgreSQL: the touch is a CTE of the INSERT, changing no row when fresh).
    assert len(statements) == 1 and "INSERT INTO" in statements[0], statements
    assert CasUser.objects.get(pk=user.pk).date == touched


def test_no_ticket_once_the_sso_session_row_is_gone(client, service_pattern, active_account):
    """Issuance reads no ``User`` row: its INSERT is the proof, and without the row the host's answer comes back."""
    login(client, active_account.identifier, service=SERVICE)
    CasUser.objects.all().delete()  # a logout, or cas_clean_sessions, from another process
    count = ServiceTicket.objects.count()
    response = client.get("/cas/login", {"service": SERVICE})
    assert response.status_code == 302 and "ticket=" not in response["Location"]
    assert response["Location"].startswith("/cas/login?")
    assert ServiceTicket.objects.count() == count
    assert not client.session.get("authenticated")
    assert "ticket=" not in client.get("/cas/login", {"service": SERVICE}).get("Location", "")

"""Query counts: the ATEN login step costs one query on a normal login; a locked login only its counters."""

from __future__ import annotations

import types

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.cache import SessionStore
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from cas_educonnect.core.ratelimit import login_throttles
from cas_educonnect.models import AccountState
from cas_educonnect.routes.aten.steps import ThrottledUserCredential, activation_step


@pytest.mark.django_db
def test_activation_step_on_an_active_account_costs_one_query(family, django_assert_num_queries):
    account = family["parent_account"]
    account.state, account.password = AccountState.ACTIVE, make_password("x")
    account.save()
    request = RequestFactory().post("/cas/login")
    request.session = SessionStore()
    with django_assert_num_queries(1):
        assert activation_step(request, account.identifier, types.SimpleNamespace(service=None)) is None


@pytest.mark.django_db
def test_a_locked_login_touches_no_table_but_its_counters(family, settings):
    """The login lock's counters are in the database (they outlive Redis); nothing else is read."""
    settings.CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES = {"login_identifier_ip": 0}
    account = family["lea_account"]
    request = RequestFactory().post("/cas/login", REMOTE_ADDR="192.0.2.1")
    login_throttles(account.identifier, request)[0].hit()
    form = ThrottledUserCredential({"username": account.identifier, "password": account.clear_provisional, "lt": "x"})
    form.request = request
    with CaptureQueriesContext(connection) as queries:
        assert not form.is_valid()
    assert queries.captured_queries
    sql = [q["sql"] for q in queries.captured_queries]
    assert all("cas_educonnect_ratelimitcounter" in q for q in sql), sql
    assert form.non_field_errors()[0].startswith("Trop de tentatives")

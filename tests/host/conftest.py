"""Host fixtures: a registered service and an active account that logs in with a password."""

from __future__ import annotations

import re

import pytest
from cas_server.models import ReplaceAttributName, ServicePattern
from django.contrib.auth.hashers import make_password

from cas_educonnect.models import AccountState

SERVICE = "https://ent.example.test/portal/"
PASSWORD = "Correct-Horse-42"


@pytest.fixture
def service_pattern(db) -> ServicePattern:
    pattern = ServicePattern.objects.create(
        name="ENT test", pattern="^" + re.escape("https://ent.example.test/"), pos=1
    )
    ReplaceAttributName.objects.create(service_pattern=pattern, name="*", replace="")
    return pattern


@pytest.fixture
def active_account(account_factory, settings):
    # Host tests exercise the host: no login step of other features takes over.
    settings.CAS_EDUCONNECT_LOGIN_STEPS = []
    return account_factory(state=AccountState.ACTIVE, password=make_password(PASSWORD))


def login(client, username: str, password: str = PASSWORD, service: str | None = None, **extra):
    """Log in through the real CAS form: GET it, then POST it with its login ticket."""
    params = {"service": service} if service else {}
    client.get("/cas/login", params)
    data = {"username": username, "password": password, "lt": client.session["lt"][-1], **params, **extra}
    return client.post("/cas/login" + (f"?service={service}" if service else ""), data)

"""Privacy: no secret in the logs of a whole ATEN life cycle; ``mail`` released only once validated.

The flow (wrong password, first login with the provisional password, wrong then right birth
date, ticket validation, email validation, lost password, reset, logout) runs with every
logger at DEBUG; then no log record, message or argument, holds a password, a hash, the
provisional password or a link token.
"""

from __future__ import annotations

import logging
import re

import pytest

from cas_educonnect.attributes import release
from cas_educonnect.models import AccountState
from tests.aten.conftest import cas_login, demo_service, family, follow_to_ticket, last_mail_to, link_from_mail  # noqa: F401

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Privacy-Test-Password-2026!"
WRONG_PASSWORD = "Wrong-Password-Not-Logged-99"


def everything_logged(records: list[logging.LogRecord]) -> str:
    parts = []
    for record in records:
        parts.append(record.getMessage())
        parts.extend(map(repr, record.args if isinstance(record.args, tuple) else [record.args]))
        parts.append(repr(record.__dict__.get("extra", "")))
    return "\n".join(parts)


def test_a_whole_life_cycle_logs_no_secret(client, family, demo_service, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    account, lea = family["lea_account"], family["lea"]
    provisional = account.clear_provisional
    secrets = {WRONG_PASSWORD, NEW_PASSWORD, provisional}

    cas_login(client, account.identifier, WRONG_PASSWORD, service=demo_service)
    response = cas_login(client, account.identifier, provisional, service=demo_service)
    assert response["Location"] == "/cas/aten/activate/"
    session_before = client.session.session_key
    form = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "email": "lea@ex.fr", "email2": "lea@ex.fr"}
    client.post("/cas/aten/activate/", {f"birth_date_{lea.pk}": "15/03/2012", **form})
    ticket = follow_to_ticket(
        client, client.post("/cas/aten/activate/", {f"birth_date_{lea.pk}": "2012-03-14", **form})
    )
    # The activation completion opened the SSO session under a new session key.
    assert client.session.get("authenticated") and client.session.session_key != session_before
    body = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": demo_service}).content.decode()
    assert "authenticationSuccess" in body
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVE and not account.email_validated
    assert "mail" not in release(account.identifier), "an address not yet validated is never released"

    email_link = link_from_mail(last_mail_to("lea@ex.fr"), "/cas/aten/email/")
    client.post(email_link)
    account.refresh_from_db()
    assert account.email_validated and release(account.identifier)["mail"] == ["lea@ex.fr"]

    client.get("/cas/logout")
    client.post("/cas/aten/lost-password/", {"identifier": account.identifier})
    reset_link = link_from_mail(last_mail_to("lea@ex.fr"), "/cas/aten/reset/")
    secrets.add("Reset-Password-Also-Secret-77")
    client.post(
        reset_link, {"new_password1": "Reset-Password-Also-Secret-77", "new_password2": "Reset-Password-Also-Secret-77"}
    )
    account.refresh_from_db()
    secrets |= {account.password, account.password.split("$")[-1]}
    tokens = set(re.findall(r"/([\w-]{20,})/", email_link + reset_link))
    assert tokens, "the links carry tokens"

    logged = everything_logged(caplog.records)
    assert caplog.records, "the flow logs something: the test would be vacuous otherwise"
    for secret in secrets | tokens:
        assert secret not in logged, f"a secret reached the logs: {secret[:6]}..."

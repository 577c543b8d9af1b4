"""Self-service emails leave through a background task, never inside the request that asked for them.

Why: the lost identifier and lost password pages answer the same whatever was typed, but a
request that looked the account up and sent the mail itself answered later for known
identifiers and addresses (9.3 ms against 6.4 ms measured, more with a real SMTP server):
its response time told what the identical pages hide. The request therefore does the same
work for every value typed (the per-IP mail cap, one task enqueued through :func:`queue`),
and :func:`send_self_service_mail`, run by the task worker (``CAS_EDUCONNECT_TASK_BACKEND``),
is the only place that looks the account up, counts the per-target cap and sends. The
email change of the account page goes the same way, so no page sends mail inline.

Nothing secret sits in the queue: what the person typed (an identifier, an address) travels
sealed (Fernet, keys from ``core.crypto.derive_keys``), because the queue table keeps a task's
arguments after it ran, and the links' tokens are made by the task from the account itself.
With django-tasks' ``ImmediateBackend`` (tests, demo) the task runs inside the request.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urljoin

from cryptography.fernet import InvalidToken, MultiFernet
from django.http import HttpRequest
from django.urls import reverse
from django_tasks import task

from cas_educonnect.accounts.lookup import find_account
from cas_educonnect.accounts.tokens import email_token, encode_pk, password_reset_token
from cas_educonnect.conf import settings
from cas_educonnect.core.clientip import client_ip
from cas_educonnect.core.crypto import multi_fernet
from cas_educonnect.core.ratelimit import hit_all, mail_limit
from cas_educonnect.models import Account, AccountState
from cas_educonnect.routes.aten.mail import send_mail

logger = logging.getLogger(__name__)

KEY_PURPOSE = "routes.aten.deliveries"


def _fernet() -> MultiFernet:
    return multi_fernet(KEY_PURPOSE)


def seal(payload: dict[str, Any]) -> str:
    """The opaque task argument carrying ``payload``."""
    return _fernet().encrypt(json.dumps(payload).encode()).decode()


def unseal(token: str) -> dict[str, Any] | None:
    """What :func:`seal` sealed, or None if the token was not made with our keys."""
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return None


def ip_allowed(request: HttpRequest) -> bool:
    """Count one more self-service request from this client, known target or not; whether it may go on."""
    return not hit_all([mail_limit("ip", client_ip(request) or "-")])


def queue(kind: str, request: HttpRequest, **payload: Any) -> None:
    """Queue one mail of ``kind``: the same call whether or not anyone will get it."""
    payload["base"] = request.build_absolute_uri("/")
    send_self_service_mail.using(backend=settings.CAS_EDUCONNECT_TASK_BACKEND).enqueue(kind, seal(payload))


def reset_eligible(account: Account | None) -> bool:
    """Only activated accounts with a validated address get a reset link."""
    return bool(
        account
        and account.state == AccountState.ACTIVE
        and account.password
        and account.email
        and account.email_validated
        and not account.refused
    )


def _target_allowed(target: str) -> bool:
    return not hit_all([mail_limit("target", target.strip().lower())])


def _with_service(path: str, service: str) -> str:
    return path + "?" + urlencode({"service": service}) if service else path


def _lost_identifier(payload: dict[str, Any]) -> str:
    email = payload["email"]
    accounts = list(
        Account.objects.exclude(state=AccountState.CLOSED)
        .filter(email__iexact=email, email_validated=True, refused=False)
        .order_by("identifier")
    )
    if not accounts:
        return "nobody"
    if not _target_allowed(f"email:{email}"):
        return "limited"
    context = {"identifiers": [a.identifier for a in accounts], "login_url": payload["login_url"]}
    return "sent" if send_mail("lost_identifier", accounts[0].email, context) else "failed"


def _password_reset(payload: dict[str, Any]) -> str:
    account = find_account(payload["identifier"])
    if not reset_eligible(account):
        return "nobody"
    if not _target_allowed(f"account:{account.pk}"):
        return "limited"
    path = reverse(
        "cas_server:educonnect_aten_password_reset",
        kwargs={"uidb64": encode_pk(account), "token": password_reset_token.make_token(account)},
    )
    context = {
        "account": account,
        "link": urljoin(payload["base"], _with_service(path, payload.get("service", ""))),
        "validity_days": settings.CAS_EDUCONNECT_ATEN_PASSWORD_RESET_VALIDITY // 86400,
    }
    return "sent" if send_mail("password_reset", account.email, context) else "failed"


def _email_link(payload: dict[str, Any]) -> str:
    """The validation link of the address the account asked for, if it still asks for it."""
    account = Account.objects.filter(pk=payload["account"]).first()
    if account is None or not account.pending_email or account.pending_email != payload["email"]:
        return "stale"
    path = reverse(
        "cas_server:educonnect_aten_email_confirm",
        kwargs={"uidb64": encode_pk(account), "token": email_token.make_token(account)},
    )
    change = bool(account.email and account.email_validated)
    context = {
        "account": account,
        "link": urljoin(payload["base"], _with_service(path, payload.get("service", ""))),
        "validity_days": settings.CAS_EDUCONNECT_ATEN_EMAIL_LINK_VALIDITY // 86400,
        "activating": account.state == AccountState.ACTIVATING,
    }
    name = "confirm_email_change" if change else "validate_email"
    return "sent" if send_mail(name, account.pending_email, context) else "failed"


HANDLERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "lost_identifier": _lost_identifier,
    "password_reset": _password_reset,
    "email_link": _email_link,
}


@task()
def send_self_service_mail(kind: str, sealed: str) -> str:
    """Look up whom ``kind`` is for and mail them; returns what happened.

    ``nobody`` (nothing to send), ``limited`` (the target's cap is reached), ``stale`` (the
    address asked for changed meanwhile), ``failed`` (the mail backend failed, logged) or
    ``sent``; ``invalid`` for an argument that does not decrypt or an unknown kind.
    """
    payload = unseal(sealed)
    handler = HANDLERS.get(kind)
    if payload is None or handler is None:
        logger.warning("Self-service mail %s dropped: its argument does not decrypt", kind)
        return "invalid"
    outcome = handler(payload)
    logger.info("Self-service mail %s: %s", kind, outcome)
    return outcome

"""The package's shared limits: failed logins (CAS and admin), ATEN birth dates, self-service emails.

Login failures are counted per typed identifier (existing or not, so the answer never
tells) and client IP, per identifier and per client IP, with the :class:`Backoff` policy; emails with fixed windows from
``CAS_EDUCONNECT_ATEN_MAIL_RATE``. Route-specific limits (SMS) are defined by their route.
"""

from __future__ import annotations

import datetime

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cas_educonnect.conf import DEFAULTS, settings
from cas_educonnect.core.clientip import client_ip
from cas_educonnect.core.ratelimit.base import Backoff, FixedWindow, Hit, Limit, hit_all, latest_retry

#: Counters of one client address: a success gives back its hit but never clears them.
IP_SCOPES = frozenset({"login_ip", "admin_ip"})


def throttle(scope: str, key: str) -> Limit:
    """A failure counter with the progressive lock (``CAS_EDUCONNECT_ATEN_THROTTLE_*``)."""
    return Limit(scope, key, Backoff(scope))


def _three_counters(scopes: tuple[str, str, str], name: str, request: HttpRequest | None, make) -> list[Limit]:
    """The (name and IP, name, IP) counters of one login attempt, made by ``make(scope, key)``."""
    name = (name or "").strip().lower()
    ip = client_ip(request)
    throttles = [make(scopes[0], f"{name}|{ip or '-'}"), make(scopes[1], name)]
    if ip:
        throttles.append(make(scopes[2], ip))
    return throttles


def login_throttles(identifier: str, request: HttpRequest | None) -> list[Limit]:
    """The counters a password check by ``identifier`` from ``request`` is subject to.

    Per identifier and client IP (the lock a stranger's guesses reach: it holds his address
    only, so the owner still logs in from his own), per identifier from every address (a far
    higher ceiling that a distributed attack reaches) and per IP (one address guessing many
    identifiers). Hit them all before checking (``hit_all``); on success ``login_succeeded``.
    """
    return _three_counters(("login_identifier_ip", "login_identifier", "login_ip"), identifier, request, throttle)


def admin_login_throttles(username: str, request: HttpRequest | None) -> list[Limit]:
    """The counters of one ``/admin/`` login attempt: per typed username and per client IP.

    The staff door's own figures (``CAS_EDUCONNECT_ADMIN_THROTTLE_*``, stricter than the
    public login's); used like :func:`login_throttles`.
    """

    configured = settings.CAS_EDUCONNECT_ADMIN_THROTTLE_FREE_FAILURES
    defaults = DEFAULTS["CAS_EDUCONNECT_ADMIN_THROTTLE_FREE_FAILURES"]

    def limit(scope: str, key: str) -> Limit:
        policy = Backoff(
            scope,
            # A scope missing from a project's mapping keeps its default, as for the CAS login.
            free=int(configured.get(scope, defaults.get(scope, 0))),
            factor=settings.CAS_EDUCONNECT_ADMIN_THROTTLE_FACTOR,
            max_delay=settings.CAS_EDUCONNECT_ADMIN_THROTTLE_MAX_DELAY,
            window=settings.CAS_EDUCONNECT_ADMIN_THROTTLE_WINDOW,
        )
        return Limit(scope, key, policy)

    return _three_counters(("admin_username_ip", "admin_username", "admin_ip"), username, request, limit)


def login_succeeded(throttles: list[Limit]) -> None:
    """Forget the identifier's failures (Keycloak: reset after success); give back the IP's
    hit without resetting it, so a valid account of one's own cannot be used to clear the IP
    counter between guesses."""
    for limit in throttles:
        if limit.scope in IP_SCOPES:
            limit.refund()
        else:
            limit.reset()


def lock_message_time(until: datetime.datetime) -> str:
    """The end of a lock for « Réessayez après … »: local HH:MM, rounded *up* to the minute
    (« après 20:28 » must not be shown during 20:28), dated when it is not today."""
    local = timezone.localtime(until)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    time = local.strftime("%H:%M")
    if local.date() == timezone.localdate():
        return time
    return _("%(date)s at %(time)s") % {"date": local.strftime("%d/%m/%Y"), "time": time}


def mail_limit(scope: str, key: str) -> Limit:
    """Self-service emails of ``scope`` (``target`` or ``ip``), from ``CAS_EDUCONNECT_ATEN_MAIL_RATE``."""
    limit, window = settings.CAS_EDUCONNECT_ATEN_MAIL_RATE[scope]
    return Limit(f"mail_{scope}", key, FixedWindow(limit, window))


def mail_allowed(request: HttpRequest, target: str) -> bool:
    """Count one more self-service email to ``target`` from this client; whether it may go."""
    ip = client_ip(request) or "-"
    return not hit_all([mail_limit("target", target.strip().lower()), mail_limit("ip", ip)])


def locked_error(refused: list[Hit]) -> forms.ValidationError:
    """« Trop de tentatives infructueuses. Réessayez après … » for the counters that refused."""
    return forms.ValidationError(
        _("Too many failed attempts. Try again after %(time)s.") % {"time": lock_message_time(latest_retry(refused))},
        code="throttled",
    )

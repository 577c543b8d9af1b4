"""The switch offered after a legacy login, before the sunset: « Passez à votre compte ÉduConnect ».

:func:`switch_offer_step` is a login step (``CAS_EDUCONNECT_LOGIN_STEPS``, after the sunset
step): once a legacy pupil or parent matched to a directory person has typed correct
credentials, and while his population's route is still open, the SSO session waits and the
offer page is shown. "Switch now" enters the switch with the credentials just proved; "Later"
remembers the answer on the account for ``CAS_EDUCONNECT_LEGACY_SWITCH_OFFER_DELAY`` seconds
and finishes the login (:func:`~cas_educonnect.login.flow.complete_login`, which re-runs the
other steps) to the service.

Never shown when the CAS request allows no interaction or wants fresh credentials: with
``gateway`` no page may be shown, and a ``renew`` ticket is only issued in the request that
checked the password, so the offer waits for an ordinary login. ``warn`` is carried over.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cas_educonnect.accounts.lookup import find_account
from cas_educonnect.conf import settings
from cas_educonnect.login.flow import complete_login, interrupted_route, login_url, step_params
from cas_educonnect.models import AccountKind
from cas_educonnect.routes.legacy import state
from cas_educonnect.routes.legacy.matching import match_person
from cas_educonnect.routes.legacy.models import LegacyProfile
from cas_educonnect.routes.legacy.sunset import is_closed

KEY = "educonnect_legacy_offer"


def _flag(value: Any) -> bool:
    return bool(value) and value != "False"


def _interactive(request: HttpRequest, view) -> bool:
    """False for gateway, renew and AJAX logins (CAS semantics: no page may come in between)."""
    if view is not None:
        return not (_flag(view.gateway) or view.renew or getattr(view, "ajax", False))
    params = request.POST if request.method == "POST" else request.GET
    return not (_flag(params.get("gateway")) or _flag(params.get("renew")))


def declined_recently(profile: LegacyProfile, now: datetime.datetime | None = None) -> bool:
    """Whether the person answered "later" less than the configured delay ago."""
    if profile.switch_offer_declined_at is None:
        return False
    delay = datetime.timedelta(seconds=settings.CAS_EDUCONNECT_LEGACY_SWITCH_OFFER_DELAY)
    return (now or timezone.now()) < profile.switch_offer_declined_at + delay


def switch_offer_step(request: HttpRequest, username: str, view=None) -> HttpResponse | None:
    """Login step: offer the switch to a matched legacy pupil or parent (see module docstring)."""
    if not _interactive(request, view):
        return None
    account = find_account(username)
    if account is None or account.kind != AccountKind.LEGACY:
        return None
    profile = LegacyProfile.objects.filter(account=account).first()
    if profile is None or not profile.switchable_population or declined_recently(profile):
        return None
    if is_closed(profile.category) or match_person(profile, account.email) is None:
        return None  # after the sunset the sunset step answers; unmatched people cannot switch
    service, warn = step_params(request, view)
    request.session[KEY] = {
        "account": account.pk,
        "username": username,
        "service": service,
        "warn": warn,
        "at": time.time(),
    }
    return redirect(reverse("cas_server:educonnect_legacy:offer"))


def pending(request: HttpRequest) -> dict[str, Any] | None:
    """The offer waiting in this session, or None when absent or expired."""
    data = request.session.get(KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - data.get("at", 0) > settings.CAS_EDUCONNECT_LEGACY_SWITCH_TIMEOUT:
        request.session.pop(KEY, None)
        return None
    return data


@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest) -> HttpResponse:
    """The offer page; POST ``switch`` enters the switch, POST ``later`` goes on to the service."""
    data = pending(request)
    account = find_account(data["username"]) if data else None
    if account is None or account.pk != data["account"]:
        request.session.pop(KEY, None)
        return redirect(login_url())
    if request.method == "POST" and "switch" in request.POST:
        state.start(request, account, data["service"])
        return redirect(reverse("cas_server:educonnect_legacy:confirm"))
    if request.method == "POST" and "later" in request.POST:
        LegacyProfile.objects.filter(account=account).update(switch_offer_declined_at=timezone.now())
        del request.session[KEY]
        service = data["service"] or None
        return complete_login(request, data["username"], service, data["warn"], route=interrupted_route(request))
    return render(request, "cas_educonnect/legacy/switch_offer.html", {"identifier": account.cas_username})

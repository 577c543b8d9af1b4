"""Pages of the ATEN → EduConnect switch: legacy credentials, confirmation, birth dates, password, done."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from cas_educonnect.login.flow import LoginRoute, complete_login, login_url
from cas_educonnect.models import AccountKind
from cas_educonnect.routes.legacy import offer, state
from cas_educonnect.routes.legacy.base import SWITCHABLE
from cas_educonnect.routes.legacy.forms import ChoosePasswordForm, LegacyCredentialsForm, SwitchBirthDatesForm
from cas_educonnect.routes.legacy.matching import children_to_confirm, match_person
from cas_educonnect.routes.legacy.switch import SwitchError, existing_account, switch_account

logger = logging.getLogger(__name__)


def _url(name: str) -> str:
    return reverse(f"cas_server:educonnect_legacy:{name}")


def _restart(request: HttpRequest, message: str | None = None) -> HttpResponse:
    service = (state.get(request) or {}).get("service", "")
    state.clear(request)
    if message:
        messages.error(request, message)
    return redirect(_url("switch") + (f"?{urlencode({'service': service})}" if service else ""))


def _current(request: HttpRequest):
    """(state, legacy account, directory person) or None when the switch must restart."""
    current = state.get(request)
    if current is None:
        return None
    account = state.legacy_account(current)
    if account is None:
        return None
    person = match_person(account.legacy_profile, account.email)
    if person is None:
        return None
    return current, account, person


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Prove the legacy credentials (skipped when the sunset page just proved them)."""
    if request.method == "GET" and _current(request) is not None:
        return redirect(_url("confirm"))
    service = request.POST.get("service") or request.GET.get("service") or ""
    form = LegacyCredentialsForm(request.POST or None, initial={"service": service})
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        account = getattr(request, "educonnect_account", None) if user is not None else None
        if account is None or account.kind != AccountKind.LEGACY:
            form.add_error(None, _("Wrong identifier or password."))
        elif account.legacy_profile.category not in SWITCHABLE:
            form.add_error(None, _("This is not a pupil or parent account: keep using “Other users”."))
        elif match_person(account.legacy_profile, account.email) is None:
            form.add_error(
                None,
                _("Your account could not be matched with the school's directory. Contact your school."),
            )
        else:
            state.start(request, account, service)
            return redirect(_url("confirm"))
    return render(request, "cas_educonnect/legacy/switch_start.html", {"form": form, "service": service})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    current = _current(request)
    if current is None:
        return _restart(request)
    data, account, person = current
    if request.method == "POST":
        if "cancel" in request.POST:
            state.clear(request)
            if offer.pending(request) is not None:  # came from the offer: back to "Later"
                return redirect(_url("offer"))
            return redirect(login_url(data.get("service"), idpId="educonnect"))
        state.update(request, confirmed=True)
        return redirect(_url("birth_dates"))
    target = existing_account(person)
    return render(
        request,
        "cas_educonnect/legacy/switch_confirm.html",
        {"account": account, "person": person, "existing": target, "pupils": children_to_confirm(person)},
    )


@require_http_methods(["GET", "POST"])
def birth_dates(request: HttpRequest) -> HttpResponse:
    current = _current(request)
    if current is None or not current[0].get("confirmed"):
        return _restart(request)
    data, account, person = current
    pupils = children_to_confirm(person)
    if not pupils:
        return _restart(request, _("No birth date is known to check your identity. Contact your school."))
    form = SwitchBirthDatesForm(request.POST or None, pupils=pupils)
    if request.method == "POST" and form.is_valid():
        attempts = state.birth_date_attempts(data)
        tried = attempts.hit()  # before the comparison: parallel posts cannot all be compared
        if tried.allowed and form.all_match():
            attempts.reset()
            state.update(request, dates_ok=True)
            return redirect(_url("password"))
        if not tried.allowed or tried.remaining <= 0:
            logger.warning("switch of %s stopped after %d wrong birth dates", account.identifier, tried.count)
            return _restart(request, _("Too many wrong birth dates: start again."))
        form.add_error(None, _("The birth dates do not match those known by the school."))
    return render(request, "cas_educonnect/legacy/switch_birth_dates.html", {"form": form})


@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    current = _current(request)
    if current is None or not current[0].get("dates_ok"):
        return _restart(request)
    data, account, person = current
    existing = existing_account(person)
    in_use = existing is not None and existing.state in ("active", "activating") and bool(existing.password)
    form = None if in_use else ChoosePasswordForm(request.POST or None, account=account)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            result = switch_account(account, form.cleaned_data["new_password1"] if form else None)
        except SwitchError:
            return _restart(request, _("The switch could not be done. Start again."))
        state.clear(request)
        request.session[state.DONE_KEY] = {
            "identifier": result.account.identifier,
            "service": data.get("service", ""),
            "login": result.password_set,
        }
        return redirect(_url("done"))
    return render(request, "cas_educonnect/legacy/switch_password.html", {"form": form, "existing": existing})


@require_http_methods(["GET", "POST"])
def done(request: HttpRequest) -> HttpResponse:
    """Show the EduConnect identifier; continuing logs the new account in and goes to the service."""
    data = request.session.get(state.DONE_KEY)
    if not data:
        return redirect(login_url())
    if request.method == "POST":
        request.session.pop(state.DONE_KEY, None)
        request.session.pop(offer.KEY, None)
        if data["login"]:
            return complete_login(request, data["identifier"], data["service"] or None, route=LoginRoute.SWITCH)
        return redirect(login_url(data["service"], idpId="educonnect"))
    return render(
        request, "cas_educonnect/legacy/switch_done.html", {"identifier": data["identifier"], "login": data["login"]}
    )

"""The "Je n'ai pas d'identifiant" pages: names + mobile, code, children's birth dates,
identifier and password, then :func:`complete_login` so the service gets its ticket.

The flow's state is one session dict (``SESSION_KEY``); each page checks it got there
through the previous ones. The code itself never enters the session.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from cas_educonnect.accounts.lifecycle import TransitionError
from cas_educonnect.conf import settings
from cas_educonnect.core.redirects import safe_service
from cas_educonnect.login.flow import LoginRoute, complete_login, login_url
from cas_educonnect.routes.sms import services, signals
from cas_educonnect.routes.sms.forms import BirthDatesForm, CodeForm, PasswordForm, StartForm

logger = logging.getLogger(__name__)

SESSION_KEY = "educonnect_sms"
PURPOSE = "registration"


def _page(request: HttpRequest, name: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    base = select_template(["cas_educonnect/base.html", "cas_educonnect/sms/fallback_base.html"])
    state = request.session.get(SESSION_KEY) or {}
    context = {"base_template": base, "service": state.get("service", ""), **context}
    return render(request, f"cas_educonnect/sms/{name}.html", context, status=status)


def _state(request: HttpRequest, *required: str) -> dict[str, Any] | None:
    """The flow's session state if it is fresh and has every ``required`` key set."""
    state = request.session.get(SESSION_KEY)
    if not state or time.time() - state.get("started", 0) > settings.CAS_EDUCONNECT_SMS_FLOW_TIMEOUT:
        return None
    if any(not state.get(key) for key in required):
        return None
    return state


def _save(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[SESSION_KEY] = state
    request.session.modified = True


def _restart(request: HttpRequest, message: str | None = None) -> HttpResponse:
    """End the flow: a page explaining why, with a link to start again."""
    state = request.session.pop(SESSION_KEY, None) or {}
    return _page(
        request,
        "stopped",
        {"message": message or _("Your request has expired. Please start again."), "service": state.get("service")},
        status=400 if message is None else 200,
    )


@never_cache
@sensitive_post_parameters("mobile")
def start(request: HttpRequest) -> HttpResponse:
    """Names and mobile number; the same answer whether the number is known or not."""
    service = safe_service(request.POST.get("service") or request.GET.get("service"))
    form = StartForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["mobile"].as_e164
        # One query whatever the number; the SMS itself leaves from a background task.
        reps = services.find_representatives(
            number,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            with_current_child=True,
        )
        try:
            challenge = services.start_challenge(PURPOSE, number, [r.pk for r in reps], ip=services.client_ip(request))
        except services.CodeThrottled as exc:
            error = services.throttle_message(exc)
        else:
            logger.info("SMS registration started for %s (%d record(s))", challenge.number_masked, len(reps))
            _save(request, {"challenge": str(challenge.public_id), "number": number, "service": service,
                            "started": time.time()})  # fmt: skip
            return redirect("cas_server:educonnect_sms_code")
    return _page(request, "start", {"form": form, "error": error, "service": service})


@never_cache
def code(request: HttpRequest) -> HttpResponse:
    """Enter the code received (the page never says whether one was really sent)."""
    state = _state(request, "challenge")
    challenge = services.get_challenge(state["challenge"]) if state else None
    if challenge is None:
        return _restart(request)
    if state.get("verified"):
        return redirect("cas_server:educonnect_sms_birth_dates")
    form = CodeForm(request.POST or None)
    error = request.session.pop("educonnect_sms_flash", "")
    if request.method == "POST" and form.is_valid():
        result = services.verify_code(challenge.public_id, form.cleaned_data["code"])
        if result.ok:
            reps = services.representatives_by_ids(result.subject_ids)
            ids = [r.pk for r in reps]
            existing = services.returning_account(ids)
            if existing is not None:
                services.consume(challenge)
                state.update(verified=True, returning=existing.identifier)
                _save(request, state)
                return redirect("cas_server:educonnect_sms_returning")
            state.update(verified=True, reps=ids)
            _save(request, state)
            return redirect("cas_server:educonnect_sms_birth_dates")
        if result.reason in ("locked", "used", "unknown"):
            return _restart(request, services.verify_message(result))
        error = services.verify_message(result)
    context = {
        "form": form,
        "error": error,
        "masked": challenge.number_masked,
        "resend_at": services.resend_available_at(challenge),
    }
    return _page(request, "code", context)


@require_POST
def resend(request: HttpRequest) -> HttpResponse:
    """Ask for a new code (cooldown and caps apply; a gateway failure later keeps the old code)."""
    state = _state(request, "challenge")
    if state is None or state.get("verified"):
        return _restart(request)
    try:
        services.resend_code(state["challenge"], state["number"], ip=services.client_ip(request))
    except services.CodeThrottled as exc:
        if exc.reason == "locked":
            return _restart(request, services.throttle_message(exc))
        request.session["educonnect_sms_flash"] = services.throttle_message(exc)
    except services.CodeChallenge.DoesNotExist:
        return _restart(request)
    else:
        request.session["educonnect_sms_flash"] = _("If this number is known, a new code has been sent.")
    return redirect("cas_server:educonnect_sms_code")


@never_cache
def returning(request: HttpRequest) -> HttpResponse:
    """A parent whose account already covers everything is told his identifier, nothing more."""
    state = _state(request, "returning")
    if state is None:
        return _restart(request)
    request.session.pop(SESSION_KEY, None)
    return _page(
        request,
        "returning",
        {"identifier": state["returning"], "login_url": login_url(state.get("service")),
         "service": state.get("service")},
    )  # fmt: skip


def _flow_pupils(state: dict[str, Any]):
    return [p for p in services.children_of(state["reps"]) if p.birth_date]


@never_cache
def birth_dates(request: HttpRequest) -> HttpResponse:
    """Confirm each child's birth date (all must match; wrong submissions are limited)."""
    state = _state(request, "verified", "reps")
    challenge = services.get_challenge(state["challenge"]) if state else None
    if challenge is None or challenge.consumed_at:
        return _restart(request)
    if state.get("identifier"):
        return redirect("cas_server:educonnect_sms_password")
    pupils = _flow_pupils(state)
    if not pupils:
        return _restart(request, _("Your children's records are incomplete: please contact their school."))
    form = BirthDatesForm(request.POST or None, pupils=pupils)
    error = ""
    if request.method == "POST" and form.is_valid():
        ok, remaining = services.check_birth_dates(challenge, pupils, form.answers())
        if ok:
            reps = services.representatives_by_ids(state["reps"])
            state["identifier"] = services.target_identifier(reps)
            _save(request, state)
            return redirect("cas_server:educonnect_sms_password")
        if remaining <= 0:
            return _restart(
                request, _("Too many incorrect birth dates. Contact your child's school to check its records.")
            )
        error = ngettext(
            "At least one birth date is incorrect. %(remaining)s attempt left.",
            "At least one birth date is incorrect. %(remaining)s attempts left.",
            remaining,
        ) % {"remaining": remaining}
    return _page(request, "birth_dates", {"form": form, "error": error, "pupils": pupils})


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def password(request: HttpRequest) -> HttpResponse:
    """Show the identifier to keep, choose the password, activate, and log in."""
    state = _state(request, "verified", "reps", "identifier")
    challenge = services.get_challenge(state["challenge"]) if state else None
    if challenge is None or challenge.consumed_at:
        return _restart(request)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reps = services.representatives_by_ids(state["reps"])
        try:
            with transaction.atomic():
                if not reps or not services.consume(challenge):
                    return _restart(request)
                registration = services.register_account(reps, state["identifier"], form.cleaned_data["new_password1"])
        except TransitionError as exc:
            logger.warning("SMS registration refused: %s", exc)
            return _restart(request, _("This account cannot be activated online: please contact your child's school."))
        signals.account_registered.send(
            sender=type(registration.account),
            account=registration.account,
            created=registration.created,
            closed=registration.closed,
            request=request,
        )
        request.session.pop(SESSION_KEY, None)
        logger.info("SMS registration done: %s (closed: %s)", registration.account.identifier, registration.closed)
        return complete_login(
            request, registration.account.identifier, state.get("service") or None, route=LoginRoute.SMS
        )
    return _page(request, "password", {"form": form, "identifier": state["identifier"]})


def start_url(service: str | None = None) -> str:
    """Where the portal's "Je n'ai pas d'identifiant" button points."""
    url = reverse("cas_server:educonnect_sms_start")
    return f"{url}?{urlencode({'service': service})}" if service else url

"""« Choisissez votre profil »: one person of a joint / multi-person account per SSO session.

Design: the CAS user stays the account identifier (services keep one stable ``cas:user``);
the chosen person is kept in the SSO session (:mod:`.scope`) and only that person's part of
every attribute is released for the whole session. Logout flushes the session, so the next
login asks again. ``CAS_EDUCONNECT_RELEASE_ALL_PERSONS`` skips the page and releases all.

Flow: :func:`profile_choice_step` (a login step, after the password) parks the login in the
session and redirects to :class:`ProfileChoiceView`; the choice finishes the login with
``host.login.complete_login`` which re-runs the steps (this one then passes) and opens the
SSO session. A person who refused the service for himself is not offered.
"""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from cas_educonnect.attributes.scope import choose_person, chosen_person
from cas_educonnect.attributes.subject import load_subject
from cas_educonnect.core.redirects import safe_service
from cas_educonnect.login.flow import complete_login, interrupted_route, login_url, step_params
from cas_educonnect.login.pages import base_template

PENDING_KEY = "cas_educonnect_person_pending"
PENDING_TTL = 15 * 60  # seconds between the password and the choice


def start_choice(request: HttpRequest, username: str, service: str | None, warn: bool = False) -> HttpResponse:
    """Park an authenticated login until the user picks a person; redirect to the page."""
    request.session[PENDING_KEY] = {
        "username": username,
        "service": safe_service(service),
        "warn": bool(warn),
        "at": time.time(),
    }
    return redirect(reverse("cas_server:educonnect_profile_choice"))


def profile_choice_step(request: HttpRequest, username: str, view=None) -> HttpResponse | None:
    """Login step: ask a multi-person account which person logs in (once per SSO session)."""
    subject = load_subject(username)
    if subject is None or not subject.needs_choice:
        return None
    if subject.person(chosen_person(request, username)) is not None:
        return None
    service, warn = step_params(request, view)
    return start_choice(request, username, service, warn)


def _pending(request: HttpRequest) -> dict | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_TTL:
        return None
    return pending


class ProfileChoiceView(View):
    """Lists the persons of the account with their children's schools; POST picks one."""

    template_name = "cas_educonnect/attributes/choose_profile.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        pending = _pending(request)
        if pending is None:
            return redirect(login_url())
        username = pending["username"]
        subject = load_subject(username)
        person = subject.person(request.POST.get("person")) if subject is not None else None
        if person is None:
            return self.render_page(request, error=_("Please choose one of the profiles below."), status=400)
        choose_person(request, username, person.key)
        del request.session[PENDING_KEY]
        if request.session.get("authenticated") and request.session.get("username") == username:
            return redirect(login_url(pending["service"]))  # SSO session already open: just issue
        return complete_login(request, username, pending["service"], pending["warn"], route=interrupted_route(request))

    def render_page(self, request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
        pending = _pending(request)
        subject = load_subject(pending["username"]) if pending else None
        if subject is None:
            request.session.pop(PENDING_KEY, None)
            return redirect(login_url())
        context = {
            "base_template": base_template(),
            "persons": subject.usable_persons,
            "error": error,
        }
        return render(request, self.template_name, context, status=status)

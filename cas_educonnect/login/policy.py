"""Who may log in and which services a person may reach.

- A person who refused the service for himself (``Account.refused``, or
  ``Representative.services_refused`` for every person of the account) cannot log in:
  :func:`refusal_step` stops the login, and the login view refuses tickets to an SSO session
  opened before the refusal.
- A pupil whose representative refused online services (``Pupil.services_refused``) gets
  no ticket for a national follow-up service (``ServiceCategory.FOLLOW_UP``), and no one
  gets a ticket a ``CAS_EDUCONNECT_SERVICE_ACCESS_POLICIES`` refuses (a service his schools
  closed): :func:`~cas_educonnect.attributes.access.service_denial`. Other services work.

:class:`ReleasePolicyMixin` is mixed into the CAS ``LoginView``: it applies both rules, the
profile choice of multi-person accounts, and puts the chosen person in scope while the host
issues the ticket.
"""

from __future__ import annotations

import logging

from cas_server import utils as cas_utils
from django.conf import settings as django_settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from cas_educonnect.attributes.access import Denial, service_denial
from cas_educonnect.attributes.scope import chosen_person, person_scope
from cas_educonnect.attributes.shared import ticket_guard
from cas_educonnect.attributes.subject import Subject, fresh_subject, load_subject, subject_for_ticket
from cas_educonnect.core.guards import GuardFailed, guarded
from cas_educonnect.login.choice import start_choice
from cas_educonnect.login.pages import refused_response

logger = logging.getLogger(__name__)

# Outcomes of an issuance, as ReleasePolicyMixin decides them.
_ISSUE, _REFUSE, _CHOOSE, _DENY = "issue", "refuse", "choose", "deny"


def refusal_step(request: HttpRequest, username: str, view=None) -> HttpResponse | None:
    """Login step: stop the login of an account whose holder refused the service."""
    subject = load_subject(username)
    if subject is None or not subject.refused:
        return None
    logger.info("Login refused for %s: service refused by its holder", username)
    return refused_response(request)


class ReleasePolicyMixin:
    """For ``cas_server.views.LoginView`` subclasses: refusals and profile choice at ticket issuance.

    The subject may be one this process kept from an earlier ticket (``attributes.shared``):
    then only a ticket is issued from it, under the guard that its rows are unchanged; any
    other outcome (refusal, choice, denial, or the host's filters: ``host.guarded``), or a
    failed guard, is decided again from the subject read afresh.
    """

    def service_login(self) -> HttpResponse:
        username = self.user.username
        subject, digest = subject_for_ticket(username)
        decision = self._decide(subject)
        if digest is not None:
            if decision[0] == _ISSUE:
                try:
                    with guarded(ticket_guard(username, digest)):
                        return self._act(decision)
                except GuardFailed:
                    logger.debug("Kept subject of %s stale at issuance: read again", username)
            decision = self._decide(fresh_subject(username))
        return self._act(decision)

    def _decide(self, subject: Subject | None) -> tuple[str, object]:
        """What the subject's data says of this issuance; no side effect."""
        if subject is None:
            return _ISSUE, None
        if subject.refused:
            return _REFUSE, None
        person = chosen_person(self.request, self.user.username)
        if subject.needs_choice and subject.person(person) is None:
            return _CHOOSE, None
        denied = service_denial(subject.scoped(person), self.service)
        if denied is not None:
            return _DENY, denied
        return _ISSUE, person

    def _act(self, decision: tuple[str, object]) -> HttpResponse:
        kind, detail = decision
        username = self.user.username
        if kind == _REFUSE:
            logger.info("Ticket refused to %s: service refused by its holder", username)
            # End the SSO session (SLO to its services) without the host's logout(),
            # which flushes a second SessionStore and breaks this response's session save.
            self.user.logout(self.request)
            self.user.delete()
            self.request.session.flush()
            return refused_response(self.request)
        if kind == _CHOOSE:
            return start_choice(self.request, username, self.service, bool(self.request.session.get("warn")))
        if kind == _DENY:
            return self.deny(detail)
        with person_scope(username, detail):
            return super().service_login()

    def deny(self, denial: Denial) -> HttpResponse:
        """Answer like the host does for a user not allowed on a service, with our message."""
        logger.info("Ticket refused to %s for %s: %s", self.user.username, denial.pattern.name, denial.message)
        messages.error(self.request, denial.message)
        if self.gateway and not self.ajax:
            list(messages.get_messages(self.request))
            return HttpResponseRedirect(self.service)
        if self.ajax:
            return cas_utils.json_response(self.request, {"status": "error", "detail": "auth", "code": 3})
        template = getattr(django_settings, "CAS_LOGGED_TEMPLATE", "cas_server/bs4/logged.html")
        return render(self.request, template, cas_utils.context({"session": self.request.session}), status=403)

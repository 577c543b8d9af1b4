"""``/proxy``: proxy tickets get the same release policy as service tickets.

A proxy ticket is issued to a back-end service from a PGT, outside the browser's request, so
the person chosen at login is read from the SSO session the PGT belongs to; a pupil whose
follow-up services were refused gets no proxy ticket for a follow-up service either, nor
anyone for a service his schools closed (``attributes.access.service_denial``).
"""

from __future__ import annotations

from cas_server import views as cas_views
from cas_server.models import ProxyGrantingTicket
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpResponse
from django.utils.module_loading import import_string

from cas_educonnect.attributes.access import service_denial
from cas_educonnect.attributes.scope import SESSION_KEY, person_scope
from cas_educonnect.attributes.subject import load_subject


def _session(session_key: str | None) -> SessionBase | dict:

    if not session_key:
        return {}
    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")(session_key=session_key)


class Proxy(cas_views.Proxy):
    """The host's proxy view, with the person in scope and the follow-up refusal applied."""

    def process_proxy(self) -> HttpResponse:
        pgt = ProxyGrantingTicket.objects.filter(value=self.pgt).select_related("user").first()
        if pgt is None:
            return super().process_proxy()  # the host answers INVALID_TICKET
        username = pgt.user.username
        choice = _session(pgt.user.session_key).get(SESSION_KEY)
        person = choice.get("person") if isinstance(choice, dict) and choice.get("username") == username else None
        subject = load_subject(username)
        if subject is not None and (
            subject.refused or service_denial(subject.scoped(person), self.target_service) is not None
        ):
            raise cas_views.ValidateError("UNAUTHORIZED_USER", f"User {username} not allowed on {self.target_service}")
        with person_scope(username, person):
            return super().process_proxy()

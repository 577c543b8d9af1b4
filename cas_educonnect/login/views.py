"""The views shadowing the host's ``cas_server:login`` and ``cas_server:logout``.

``LoginView`` keeps every CAS behaviour of ``cas_server.views.LoginView`` and adds one
extension point: *login steps* (``CAS_EDUCONNECT_LOGIN_STEPS``), run once the credentials
are valid and before the SSO session is opened. A step returns ``None`` to let the login
proceed, or an ``HttpResponse`` (e.g. a redirect to first-login activation) that replaces
it; the flow it starts finishes later with ``host.login.complete_login``.

Both views close the host's open redirects: a ``service``/``url`` parameter is only ever
followed if it matches a ServicePattern (:func:`.redirects.is_allowed_redirect`).
"""

from __future__ import annotations

import logging

from cas_server import utils as cas_utils
from cas_server import views as cas_views
from django.http import HttpRequest, HttpResponse

from cas_educonnect.core.redirects import is_allowed_redirect
from cas_educonnect.host.issue import SessionGone, session_user
from cas_educonnect.login.flow import ROUTE_SESSION_KEY, LoginRoute, open_sso_session
from cas_educonnect.login.policy import ReleasePolicyMixin
from cas_educonnect.login.portal.login import portal_response
from cas_educonnect.login.portal.routes import LEGACY
from cas_educonnect.login.steps import get_login_steps

logger = logging.getLogger(__name__)


class LoginView(ReleasePolicyMixin, cas_views.LoginView):
    """``cas_server`` login with session rotation, login steps, no open redirect and the release policy."""

    step_response: HttpResponse | None = None

    def init_form(self, values=None) -> None:
        super().init_form(values)
        # The host builds its forms without the request; throttled forms need the client.
        self.form.request = self.request

    def login_route(self) -> str:
        """The CAS form's route: the "Autres publics" form posts its portal route id."""
        return LoginRoute.LEGACY if self.request.POST.get("idpId") == LEGACY else LoginRoute.PASSWORD

    def user_login(self, username: str, warn: bool, warned: bool = True) -> None:
        route = self.login_route()
        self.request.session[ROUTE_SESSION_KEY] = str(route)
        for step in get_login_steps():
            response = step(self.request, username, self)
            if response is not None:
                # The step takes over: no SSO session now, the step's flow opens it later.
                self.step_response = response
                return
        self.user = open_sso_session(self.request, username, warn, route)
        self.renewed = True
        self.warned = warned

    def not_authenticated(self) -> HttpResponse:
        """The profile page or a route's form (portal), else the host's login page."""
        response = portal_response(self)
        return response if response is not None else super().not_authenticated()

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        return self.step_response if self.step_response is not None else response

    def process_get(self) -> int:
        """Skip the host's new login ticket when the form will not be shown.

        The host appends an LT to the session on every GET, so every SSO ticket issuance
        rewrites the session row. An authenticated session not asking to renew gets no form;
        the LT already in its session (there is always one after a login POST) serves the
        warn page.
        """
        session = self.request.session
        if session.get("authenticated") and not self.renew and session.get("lt"):
            return self.USER_AUTHENTICATED
        return super().process_get()

    def authenticated(self) -> HttpResponse:
        """The host's, without its read of the SSO session's ``User`` row before a ticket.

        The row is known from the session (:func:`~cas_educonnect.host.issue.session_user`)
        and proven by the ticket's own INSERT; when it is gone (logged out elsewhere), the
        answer is the host's: the session logged out, a redirect to the login form.
        """
        user = session_user(self.request.session) if self.service and not self.ajax else None
        if user is None:
            return super().authenticated()
        self.user = user
        try:
            return self.service_login()
        except SessionGone:
            logger.warning("SSO session of %s gone before its ticket was issued", user.username)
            self.logout()
            return cas_utils.redirect_params("cas_server:login", params=self.request.GET)

    def service_login(self) -> HttpResponse:
        """The host's ticket issuance, without its gateway redirect to unknown services."""
        if self.gateway and not is_allowed_redirect(self.service):
            logger.warning("Gateway redirect to an unregistered service refused: %s", self.service)
            self.gateway = None
        return super().service_login()


class LogoutView(cas_views.LogoutView):
    """``cas_server`` logout following ``?service=``/``?url=`` only to registered services."""

    def init_get(self, request: HttpRequest) -> None:
        super().init_get(request)
        for name in ("service", "url"):
            target = getattr(self, name)
            if target and not is_allowed_redirect(target):
                logger.warning("Logout redirect to an unregistered URL refused: %s", target)
                setattr(self, name, None)

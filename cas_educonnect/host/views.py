"""The login view shadowing the host's ``cas_server:login``.

It keeps every CAS behaviour of ``cas_server.views.LoginView`` and adds one extension
point: *login steps* (``CAS_EDUCONNECT_LOGIN_STEPS``), run once the credentials are valid
and before the SSO session is opened. A step returns ``None`` to let the login proceed, or
an ``HttpResponse`` (e.g. a redirect to first-login activation) that replaces it; the
flow it starts finishes later with ``host.login.open_sso_session``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from cas_server import views as cas_views
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from ..attributes.policy import ReleasePolicyMixin
from ..conf import settings
from .login import open_sso_session

logger = logging.getLogger(__name__)

# step(request, username, view) -> response or None; view is None outside the CAS form.
LoginStep = Callable[[HttpRequest, str, "LoginView | None"], HttpResponse | None]


def get_login_steps() -> list[LoginStep]:
    """The configured login steps, in order."""
    return [import_string(path) for path in settings.CAS_EDUCONNECT_LOGIN_STEPS]


class LoginView(ReleasePolicyMixin, cas_views.LoginView):
    """``cas_server`` login with session rotation, login steps and the release policy (refusals, profile)."""

    step_response: HttpResponse | None = None

    def user_login(self, username: str, warn: bool, warned: bool = True) -> None:
        for step in get_login_steps():
            response = step(self.request, username, self)
            if response is not None:
                # The step takes over: no SSO session now, the step's flow opens it later.
                self.step_response = response
                return
        self.user = open_sso_session(self.request, username, warn)
        self.renewed = True
        self.warned = warned

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        return self.step_response if self.step_response is not None else response

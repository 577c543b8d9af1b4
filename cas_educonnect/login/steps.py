"""Login steps: what runs between valid credentials and the SSO session (``CAS_EDUCONNECT_LOGIN_STEPS``).

A step is ``step(request, username, view) -> HttpResponse | None``: ``None`` lets the login
proceed, a response (e.g. a redirect to first-login activation) replaces it, and the flow it
starts finishes later with :func:`cas_educonnect.login.flow.complete_login`. ``view`` is the
CAS ``LoginView`` for the CAS form, ``None`` for every other route.

A step that lives in an optional route app (``cas_educonnect.routes.<name>``) is skipped while
that app is not installed, so the default list works with any set of routes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from cas_educonnect.conf import settings

LoginStep = Callable[[HttpRequest, str, Any], HttpResponse | None]

ROUTES_PACKAGE = "cas_educonnect.routes."


def route_app(path: str) -> str | None:
    """The route app ``path`` (a dotted path) belongs to, e.g. ``cas_educonnect.routes.sms``."""
    if not path.startswith(ROUTES_PACKAGE):
        return None
    return ROUTES_PACKAGE + path[len(ROUTES_PACKAGE) :].split(".", 1)[0]


def is_available(path: str) -> bool:
    """False for a dotted path inside a route app that is not installed."""
    app = route_app(path)
    return app is None or apps.is_installed(app)


def get_login_steps() -> list[LoginStep]:
    """The configured login steps, in order, without those of uninstalled routes."""
    return [import_string(path) for path in settings.CAS_EDUCONNECT_LOGIN_STEPS if is_available(path)]

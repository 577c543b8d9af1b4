"""What ``/cas/login`` shows to someone not yet authenticated: the profile page or a route's form.

Called from ``host.views.LoginView.not_authenticated``. ``gateway`` (CAS: never interact),
AJAX and federation keep the host's behaviour; ``renew``, ``warn`` and ``method`` are carried
through every link and form, so they keep their CAS meaning whatever the route.

Choosing a route: the preselection parameter (``?idpId=autres-publics``, names in
``CAS_EDUCONNECT_PORTAL_PARAMETERS``) wins and is remembered in a cookie; otherwise the
remembered choice applies; otherwise the profile page is shown. A form posts its route in
the hidden ``idpId`` field so a failed login shows the same page again.
"""

from __future__ import annotations

from urllib.parse import urlencode

from cas_server import utils as cas_utils
from cas_server.default_settings import settings as cas_settings
from cas_server.models import ServicePattern
from django.apps import apps
from django.conf import settings as django_settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cas_educonnect.conf import settings
from cas_educonnect.login.flow import login_url
from cas_educonnect.login.portal.base import Route
from cas_educonnect.login.portal.routes import EDUCONNECT, LEGACY, find_route, get_routes, resolve_url

ROUTE_FIELD = "idpId"


def cas_params(view) -> dict[str, str]:
    """The CAS parameters to carry to the next page (never ``gateway``: the user is interacting)."""
    params = {"service": view.service or "", "renew": "true" if view.renew else "", "method": view.method or ""}
    if view.warn:
        params["warn"] = "on"
    return {k: v for k, v in params.items() if v}


def _service_name(service: str | None) -> str:
    if not service:
        return ""
    try:
        return ServicePattern.validate(service).name
    except ServicePattern.DoesNotExist:
        return ""


def _remembered(request) -> Route | None:
    route = find_route(request.COOKIES.get(settings.CAS_EDUCONNECT_PORTAL_COOKIE_NAME))
    return route if route is not None and route.template else None


def _remember(response: HttpResponse, route: Route) -> HttpResponse:
    response.set_cookie(
        settings.CAS_EDUCONNECT_PORTAL_COOKIE_NAME,
        route.id,
        max_age=settings.CAS_EDUCONNECT_PORTAL_COOKIE_AGE,
        secure=getattr(django_settings, "SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )
    return response


def snippet_names() -> list[str]:
    """The templates of ``CAS_EDUCONNECT_PORTAL_EDUCONNECT_SNIPPETS``, else the installed routes' ones."""
    names = settings.CAS_EDUCONNECT_PORTAL_EDUCONNECT_SNIPPETS
    if names is None:
        names = [name for config in apps.get_app_configs() for name in getattr(config, "portal_snippets", ())]
    return list(names)


# Labels and widget attributes of the host's credential form (cas_server.forms.UserCredential)
# on our pages; the field names stay those its LoginView reads.
CREDENTIAL_FIELDS = {
    "username": (_("Identifier"), {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    "password": (_("Password"), {"autocomplete": "current-password"}),
    "warn": (_("Warn me before logging me into other sites."), {}),
}


def credentials_form(form):
    """The host's form labelled as our pages say, ready for cas_educonnect/forms/_form.html."""
    for name, (label, attrs) in CREDENTIAL_FIELDS.items():
        if form is not None and name in form.fields:
            form.fields[name].label = label
            form.fields[name].widget.attrs = dict(attrs)  # drops the host's autofocus
            form._bound_fields_cache.pop(name, None)  # a validated form already bound the old label
    return form


def _snippets() -> list:
    return [select_template([name]) for name in snippet_names()]


def _switch_url(service: str | None) -> str:
    """« Passer à mon compte Éducation nationale » (the legacy route's switch)."""
    url = reverse("cas_server:educonnect_legacy:switch")
    return url + ("?" + urlencode({"service": service}) if service else "")


def _with_service(url: str, params: dict) -> str:
    """``url`` carrying the login's service, so the self-service pages lead back to it."""
    if not url or not params.get("service"):
        return url
    return url + ("&" if "?" in url else "?") + urlencode({"service": params["service"]})


def render_route(view, route: Route) -> HttpResponse:
    """The credentials page of ``route``, or a redirect for an operator's external entry."""
    params = cas_params(view)
    if route.url:
        separator = "&" if "?" in route.url else "?"
        return HttpResponseRedirect(route.url + (separator + urlencode(params) if params else ""))
    request = view.request
    snippet_context = {**params, "login_params": params}
    context = {
        "form": credentials_form(view.form),
        "route": route,
        "route_field": ROUTE_FIELD,
        "service_name": _service_name(view.service),
        "reset_url": reverse("cas_server:educonnect_portal_reset") + ("?" + urlencode(params) if params else ""),
        "snippets": [s.render(snippet_context, request) for s in _snippets()] if route.id == EDUCONNECT else [],
        "lost_identifier_url": _with_service(resolve_url(settings.CAS_EDUCONNECT_PORTAL_LOST_IDENTIFIER_URL), params),
        "lost_password_url": _with_service(resolve_url(settings.CAS_EDUCONNECT_PORTAL_LOST_PASSWORD_URL), params),
        "educonnect_url": login_url(**params, idpId=EDUCONNECT),
        "switch_url": _switch_url(view.service) if route.id == LEGACY else "",
        "show_legacy_switch": route.id == LEGACY,
    }
    return render(request, route.template, cas_utils.context(context))


def render_profile_page(view) -> HttpResponse:
    params = cas_params(view)
    entries = [{"route": route, "url": login_url(**params, idpId=route.id)} for route in get_routes()]
    context = {"entries": entries, "service_name": _service_name(view.service)}
    return render(view.request, "cas_educonnect/portal/profile.html", cas_utils.context(context))


def portal_response(view) -> HttpResponse | None:
    """The response for a not-authenticated visitor, or None to keep the host's behaviour."""

    if not settings.CAS_EDUCONNECT_PORTAL_ENABLED or view.gateway or view.ajax or cas_settings.CAS_FEDERATE:
        return None
    request = view.request
    if request.method == "POST":
        route = find_route(request.POST.get(ROUTE_FIELD)) or _remembered(request) or find_route(EDUCONNECT)
        return render_route(view, route)
    for name in settings.CAS_EDUCONNECT_PORTAL_PARAMETERS:
        value = request.GET.get(name)
        if value:
            route = find_route(value)
            if route is not None:
                return _remember(render_route(view, route), route)
            break
    remembered = _remembered(request)
    if remembered is not None:
        return render_route(view, remembered)
    return render_profile_page(view)

"""Views of the no-op ceiling server: the CAS exchanges of the load client, answered with fixed text.

- ``GET /cas/login``: without an SSO session, a form with a CSRF token and an ``lt``; with
  one and a ``service``, a redirect to the service with a fixed ticket (the session is read,
  never written).
- ``POST /cas/login``: the password checked against one Argon2id hash (the cost of a real
  login), the username written into the session (a ``cached_db`` write, like an SSO session
  opening), the same redirect.
- ``GET /cas/p3/serviceValidate``: a fixed CAS 3 success.
- ``GET /cas/logout``: the session flushed.

No ticket is made, stored or checked: the figures are those of Django, the middleware, the
session engine, gunicorn and the client on this machine, the ceiling of any CAS on this stack.
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.html import escape

from bench.load.fixtures import PASSWORD

TICKET = "ST-ceiling-0000000000000000000000000000000000000000000000000000"
SUCCESS = (
    '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">'
    "<cas:authenticationSuccess><cas:user>{user}</cas:user><cas:attributes>"
    "<cas:uid>{user}</cas:uid></cas:attributes></cas:authenticationSuccess></cas:serviceResponse>"
)
_hash: list[str] = []


def password_hash() -> str:
    if not _hash:
        _hash.append(make_password(PASSWORD))
    return _hash[0]


def redirect(service: str) -> HttpResponse:
    return HttpResponseRedirect(f"{service}{'&' if '?' in service else '?'}ticket={TICKET}")


def login(request: HttpRequest) -> HttpResponse:
    service = request.POST.get("service") or request.GET.get("service", "")
    if request.method == "POST":
        if not check_password(request.POST.get("password", ""), password_hash()):
            return HttpResponse("wrong password", status=403)
        request.session["username"] = request.POST.get("username", "")
        return redirect(service) if service else HttpResponse("logged in")
    if service and request.session.get("username"):
        return redirect(service)
    form = (
        '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        '<input type="hidden" name="lt" value="LT-ceiling"><input type="hidden" name="service" value="{service}">'
        '<input name="username"><input type="password" name="password"></form>'
    )
    return HttpResponse(form.format(csrf=get_token(request), service=escape(service)))


def service_validate(request: HttpRequest) -> HttpResponse:
    return HttpResponse(SUCCESS.format(user="parent0"), content_type="text/xml; charset=utf-8")


def logout(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return HttpResponse("logged out")


urlpatterns = [
    path("cas/login", login),
    path("cas/p3/serviceValidate", service_validate),
    path("cas/logout", logout),
]

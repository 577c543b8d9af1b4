"""The owner's FranceConnect page: see whether the account is linked, and unlink it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cas_educonnect.accounts.lookup import find_account
from cas_educonnect.login.flow import login_url
from cas_educonnect.routes.franceconnect.linking import unlink
from cas_educonnect.routes.franceconnect.models import FranceConnectLink


@never_cache
@require_http_methods(["GET", "POST"])
def unlink_view(request: HttpRequest) -> HttpResponse:
    """GET shows the link of the logged-in account; POST (CSRF-protected) removes it, unless
    the account has no password (refused with 409 and an explanation)."""
    account = find_account(request.session.get("username", "")) if request.session.get("authenticated") else None
    if account is None:
        return HttpResponseRedirect(login_url())
    removed, refused = 0, False
    if request.method == "POST":
        # Without a password, FranceConnect is the account's only way in (FranceConnect only,
        # see accounts.lifecycle): unlinking would lock its owner out of an active account.
        refused = not account.has_usable_password()
        if not refused:
            removed = unlink(account, by="owner")
    links = FranceConnectLink.objects.filter(account=account)
    return render(
        request,
        "cas_educonnect/franceconnect/account.html",
        {"account": account, "links": links, "removed": removed, "refused": refused},
        status=409 if refused else 200,
    )

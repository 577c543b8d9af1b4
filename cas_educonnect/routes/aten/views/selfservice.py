"""Self-service from the login page: lost identifier, lost password and its reset link.

Both request pages answer the same whatever was typed (no account enumeration) and do the
same work: the mail leaves from a task (:mod:`cas_educonnect.routes.aten.deliveries`), which
alone looks the account up. Emails are rate-limited per target (in the task) and per client
IP (in the request, for every value typed).
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from cas_educonnect.accounts import activation
from cas_educonnect.accounts.tokens import decode_account, password_reset_token
from cas_educonnect.core.redirects import safe_service
from cas_educonnect.login.flow import login_url
from cas_educonnect.routes.aten import deliveries
from cas_educonnect.routes.aten.deliveries import reset_eligible
from cas_educonnect.routes.aten.forms import LostIdentifierForm, LostPasswordForm, SetPasswordForm
from cas_educonnect.routes.aten.session import end_sso_sessions
from cas_educonnect.routes.aten.views import page

logger = logging.getLogger(__name__)


@method_decorator(never_cache, name="dispatch")
class LostIdentifierView(View):
    """An email address → the identifiers of the accounts where it is validated, by email."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return page(request, "lost_identifier", {"form": LostIdentifierForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LostIdentifierForm(request.POST)
        if not form.is_valid():
            return page(request, "lost_identifier", {"form": form})
        service = _service(request)
        if deliveries.ip_allowed(request):
            login = request.build_absolute_uri(login_url(service))
            deliveries.queue("lost_identifier", request, email=form.cleaned_data["email"].strip(), login_url=login)
        return page(request, "sent", {"what": "identifier", "login_url": login_url(service)})


def _service(request: HttpRequest) -> str:
    """The registered service the person came from (query string or form), else ""."""
    return safe_service(request.GET.get("service") or request.POST.get("service"))


@method_decorator(never_cache, name="dispatch")
class LostPasswordView(View):
    """An identifier → a reset link (one week) to the account's validated address."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return page(request, "lost_password", {"form": LostPasswordForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LostPasswordForm(request.POST)
        if not form.is_valid():
            return page(request, "lost_password", {"form": form})
        service = _service(request)
        if deliveries.ip_allowed(request):
            deliveries.queue("password_reset", request, identifier=form.cleaned_data["identifier"], service=service)
        return page(request, "sent", {"what": "password", "login_url": login_url(service)})


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class PasswordResetView(View):
    """The reset link: choose a new password; the link dies once used or once the password changes."""

    def dispatch(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        self.service = _service(request)
        self.account = decode_account(uidb64)
        if not reset_eligible(self.account) or not password_reset_token.check_token(self.account, token):
            return self.invalid(request)
        self.token = token
        return super().dispatch(request)

    def invalid(self, request: HttpRequest) -> HttpResponse:
        query = "?" + urlencode({"service": self.service}) if self.service else ""
        lost = reverse("cas_server:educonnect_aten_lost_password") + query
        return page(request, "link_invalid", {"kind": "password", "lost_password_url": lost}, status=400)

    def get(self, request: HttpRequest) -> HttpResponse:
        return page(request, "password_reset", self._context(SetPasswordForm(account=self.account)))

    def _context(self, form: SetPasswordForm) -> dict:
        return {"form": form, "account": self.account, "login_url": login_url(self.service)}

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SetPasswordForm(request.POST, account=self.account)
        if not form.is_valid():
            return page(request, "password_reset", self._context(form))
        with transaction.atomic():
            account = activation.lock(self.account)
            if not password_reset_token.check_token(account, self.token):
                return self.invalid(request)
            activation.set_password(account, form.cleaned_data["new_password2"])
        ended = end_sso_sessions(account.identifier)
        logger.info("Password of %s reset by email link; %d SSO session(s) ended", account.identifier, ended)
        return page(request, "password_reset_done", {"login_url": login_url(self.service)})

"""First-login activation, its email validation link, and the "not the legal representative" report."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from cas_educonnect.accounts import activation
from cas_educonnect.accounts.tokens import decode_account, email_token
from cas_educonnect.conf import settings
from cas_educonnect.core.ratelimit import lock_message_time, mail_allowed, throttle
from cas_educonnect.core.redirects import safe_service
from cas_educonnect.login.flow import LoginRoute, complete_login, login_url
from cas_educonnect.models import Account, AccountKind, AccountReport, AccountState
from cas_educonnect.routes.aten.forms import ActivationForm
from cas_educonnect.routes.aten.mail import send_mail
from cas_educonnect.routes.aten.session import activation_account, activation_state, end_activation
from cas_educonnect.routes.aten.views import email_link, page

logger = logging.getLogger(__name__)


def send_email_link(request: HttpRequest, account: Account, service: str = "") -> bool:
    """Email the link validating ``account.pending_email`` (first address, or a change)."""
    if not account.pending_email:
        return False
    change = bool(account.email and account.email_validated)
    context = {
        "account": account,
        "link": email_link(request, account, service),
        "validity_days": settings.CAS_EDUCONNECT_ATEN_EMAIL_LINK_VALIDITY // 86400,
        "activating": account.state == AccountState.ACTIVATING,
    }
    return send_mail("confirm_email_change" if change else "validate_email", account.pending_email, context)


def _session_lost(request: HttpRequest) -> HttpResponse:
    end_activation(request)
    messages.error(request, _("Your activation session has expired: log in again with your identifier and password."))
    return redirect(login_url())


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class ActivationView(View):
    """Birth date(s), new password and email of an account logged in with its provisional password."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.account, self.service = activation_account(request, AccountState.NOTIFIED)
        if self.account is None or self.account.password:
            return _session_lost(request)
        self.children = activation.children_of(self.account)
        self.pupil_self = self.account.kind == AccountKind.PUPIL
        if not any(child.birth_date for child in self.children):
            end_activation(request)
            return page(request, "cannot_activate", {"account": self.account}, status=409)
        self.children = [child for child in self.children if child.birth_date]
        proven = set((activation_state(request) or {}).get("proven", ()))  # the birth date given with a code
        self.to_check = [child for child in self.children if child.pk not in proven]
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None) -> ActivationForm:
        initial = {}
        if not self.pupil_self:
            person = self.account.representatives.first()
            if person is not None and person.email:
                initial = {"email": person.email}
        return ActivationForm(
            data, account=self.account, children=self.to_check, pupil_self=self.pupil_self, initial=initial
        )

    def render(self, form: ActivationForm) -> HttpResponse:
        context = {"form": form, "account": self.account, "pupil_self": self.pupil_self, "children": self.children}
        return page(self.request, "activate", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(self.form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        limit = throttle("birth_date", str(self.account.pk))
        # An invalid form checks no date: it only shows a lock already there. A valid one
        # counts before its dates are compared, so parallel posts cannot all be compared.
        result = limit.hit() if form.is_valid() else limit.peek()
        if not result.allowed:
            form.add_error(
                None,
                _("Too many wrong birth dates. Try again after %(time)s.")
                % {"time": lock_message_time(result.retry_at)},
            )
            return self.render(form)
        if form.errors:
            return self.render(form)
        wrong = form.wrong_birth_dates()
        if wrong:
            logger.warning("Wrong birth date at activation of %s", self.account.identifier)
            for name in wrong:
                form.add_error(name, _("This date of birth does not match the one known by the school."))
            return self.render(form)
        limit.reset()
        with transaction.atomic():
            account = activation.lock(self.account)
            if account.state != AccountState.NOTIFIED or account.password:
                return _session_lost(request)
            activation.activate(account, form.cleaned_data["new_password2"], form.cleaned_data.get("email") or "")
        # After the commit: a failed send never undoes the activation (a resend exists).
        send_email_link(request, account, self.service)
        if account.state == AccountState.ACTIVE:
            end_activation(request)
            return complete_login(request, account.identifier, self.service, route=LoginRoute.ACTIVATION)
        validity_days = settings.CAS_EDUCONNECT_ATEN_EMAIL_LINK_VALIDITY // 86400  # as the email says
        return page(request, "check_email", {"account": account, "activating": True, "validity_days": validity_days})


@method_decorator(never_cache, name="dispatch")
class PendingView(View):
    """A representative whose validation link is not used yet logged in: say so, offer a resend."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.account, self.service = activation_account(request, AccountState.ACTIVATING)
        if self.account is None:
            return _session_lost(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return page(request, "pending", {"account": self.account})

    def post(self, request: HttpRequest) -> HttpResponse:
        if mail_allowed(request, f"account:{self.account.pk}") and send_email_link(request, self.account, self.service):
            messages.success(request, _("A new validation link has been sent."))
        else:
            messages.error(request, _("Too many emails sent: try again in an hour."))
        return redirect("cas_server:educonnect_aten_pending")


@method_decorator(never_cache, name="dispatch")
class EmailConfirmView(View):
    """The link of a validation or change email: a confirmation button (POST), then apply.

    The GET only shows the button, so mail scanners that fetch links consume nothing.
    If this browser is the one that started the activation, the login completes here.
    """

    def dispatch(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        self.service = safe_service(request.GET.get("service"))
        account = decode_account(uidb64)
        if account is not None and account.state == AccountState.CLOSED:
            account = None
        self.account = account if account is not None and account.pending_email else None
        if not email_token.check_token(self.account, token):
            if email_token.confirmed(account, token):
                return self.already_confirmed(request, account)
            return page(request, "link_invalid", {"kind": "email"}, status=400)
        self.token = token
        return super().dispatch(request)

    def already_confirmed(self, request: HttpRequest, account: Account) -> HttpResponse:
        """The link was used (on another device, or twice): say it worked, do nothing."""
        context = {"account": account, "already": True, "login_url": login_url(self.service)}
        return page(request, "email_confirmed", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return page(request, "confirm_email", {"account": self.account, "address": self.account.pending_email})

    def post(self, request: HttpRequest) -> HttpResponse:
        with transaction.atomic():
            account = activation.lock(self.account)
            if not email_token.check_token(account, self.token):  # used meanwhile
                if email_token.confirmed(account, self.token):
                    return self.already_confirmed(request, account)
                return page(request, "link_invalid", {"kind": "email"}, status=400)
            was_activating = account.state == AccountState.ACTIVATING
            activation.confirm_email(account)
        state = activation_state(request)
        if was_activating and state is not None and state.get("account") == account.pk:
            service = self.service or state.get("service", "")
            end_activation(request)
            return complete_login(request, account.identifier, service, route=LoginRoute.ACTIVATION)
        context = {"account": account, "activated": was_activating, "login_url": login_url(self.service)}
        return page(request, "email_confirmed", context)


@method_decorator(never_cache, name="dispatch")
class ReportView(View):
    """ "I am not the legal representative of this pupil": recorded for the school, activation stops.

    It cannot be undone by the parent, so a GET, or a POST without ``confirm``, only shows the
    confirmation page; its own form (with ``confirm``) makes the report.
    """

    def get(self, request: HttpRequest, pupil: int) -> HttpResponse:
        return self.post(request, pupil)

    def post(self, request: HttpRequest, pupil: int) -> HttpResponse:
        account, _service = activation_account(request, AccountState.NOTIFIED)
        if account is None:
            return _session_lost(request)
        child = next((c for c in activation.children_of(account) if c.pk == pupil), None)
        if child is None or account.kind != AccountKind.REPRESENTATIVE:
            return page(request, "link_invalid", {"kind": "report"}, status=400)
        if request.method != "POST" or request.POST.get("confirm") != "yes":
            return page(request, "confirm_report", {"account": account, "pupil": child})
        AccountReport.objects.get_or_create(
            account=account, pupil=child, kind=AccountReport.Kind.NOT_LEGAL_REPRESENTATIVE, handled_at=None
        )
        logger.warning("Account %s reported as not the legal representative of pupil %s", account.identifier, child.pk)
        end_activation(request)
        return page(request, "reported", {"account": account, "pupil": child})

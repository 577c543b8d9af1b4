"""The logged-in account page: children covered, password and email change, grouping."""

from __future__ import annotations

import logging

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from cas_educonnect.accounts import activation
from cas_educonnect.core.ratelimit import (
    hit_all,
    locked_error,
    login_succeeded,
    login_throttles,
    mail_allowed,
)
from cas_educonnect.login.flow import login_url
from cas_educonnect.models import Account, AccountKind
from cas_educonnect.routes.aten import deliveries, grouping
from cas_educonnect.routes.aten.forms import ChangeEmailForm, ChangePasswordForm, GroupingForm, SetPasswordForm
from cas_educonnect.routes.aten.session import end_sso_sessions, logged_in_account
from cas_educonnect.routes.aten.views import page

logger = logging.getLogger(__name__)


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class AccountMixin(View):
    """Pages for the account of the current CAS SSO session only."""

    account: Account

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        account = logged_in_account(request)
        if account is None:
            messages.info(request, _("Log in to manage your account."))
            return redirect(login_url())
        self.account = account
        return super().dispatch(request, *args, **kwargs)

    def render(self, name: str, **context) -> HttpResponse:
        return page(self.request, name, {"account": self.account, **context})


class AccountHomeView(AccountMixin):
    def get(self, request: HttpRequest) -> HttpResponse:
        children = activation.children_of(self.account)
        persons = list(self.account.representatives.all()) or list(self.account.pupils.all())
        is_rep = self.account.kind == AccountKind.REPRESENTATIVE
        return self.render(
            "account",
            children=children,
            persons=persons,
            is_representative=is_rep,
            franceconnect=franceconnect_state(self.account) if is_rep else None,
        )


def franceconnect_state(account: Account) -> dict | None:
    """The FranceConnect link of ``account`` for its page, or None when FranceConnect is not installed."""
    if not apps.is_installed("cas_educonnect.routes.franceconnect"):
        return None
    links = apps.get_model("educonnect_franceconnect", "FranceConnectLink").objects
    return {"link": links.filter(account=account).order_by("-linked_at").first()}


class ChangePasswordView(AccountMixin):
    """Change the password; an account with none (FranceConnect only) chooses its first one.

    Such an account can only be in an SSO session opened by FranceConnect, a stronger proof
    than a password, so no current password is asked for it.
    """

    def form(self, data=None) -> SetPasswordForm:
        form_class = ChangePasswordForm if self.account.has_usable_password() else SetPasswordForm
        return form_class(data, account=self.account)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render("change_password", form=self.form(), first=not self.account.has_usable_password())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render("change_password", form=form, first=not self.account.has_usable_password())
        with transaction.atomic():
            activation.set_password(activation.lock(self.account), form.cleaned_data["new_password2"])
        end_sso_sessions(self.account.identifier, keep_session_key=request.session.session_key)
        messages.success(request, _("Your password has been changed."))
        return redirect("cas_server:educonnect_aten_account")


class ChangeEmailView(AccountMixin):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render("change_email", form=ChangeEmailForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ChangeEmailForm(request.POST)
        if not form.is_valid():
            return self.render("change_email", form=form)
        if not mail_allowed(request, f"account:{self.account.pk}"):
            form.add_error(None, _("Too many emails sent: try again in an hour."))
            return self.render("change_email", form=form)
        with transaction.atomic():
            account = activation.request_email_change(activation.lock(self.account), form.cleaned_data["email"])
        # After the commit, from the task worker as the self-service mails: no page sends mail inline.
        deliveries.queue("email_link", request, account=account.pk, email=account.pending_email)
        messages.success(
            request,
            _("A confirmation link has been sent to %(email)s. Your address changes once you use it.")
            % {"email": account.pending_email},
        )
        return redirect("cas_server:educonnect_aten_account")


class GroupingView(AccountMixin):
    """Identifier + password of another account → grouped into this one (representatives only)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if self.account.kind != AccountKind.REPRESENTATIVE:
            return self.render("group", form=None)
        return self.render("group", form=GroupingForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GroupingForm(request.POST)
        if self.account.kind != AccountKind.REPRESENTATIVE or not form.is_valid():
            return self.render("group", form=form if self.account.kind == AccountKind.REPRESENTATIVE else None)
        identifier = form.cleaned_data["identifier"].strip().lower()
        throttles = login_throttles(identifier, request)
        refused = hit_all(throttles)
        if refused:
            form.add_error(None, locked_error(refused))
            return self.render("group", form=form)
        user = authenticate(request, username=identifier, password=form.cleaned_data["password"])
        other = getattr(user, "educonnect_account", None) if user is not None else None
        if other is None:
            form.add_error(None, _("The identifier or the password of the other account is not correct."))
            return self.render("group", form=form)
        login_succeeded(throttles)
        try:
            kind = grouping.group(self.account, other, request)
        except grouping.GroupingRefused as refused:
            logger.warning("Grouping of %s into %s refused", other.identifier, self.account.identifier)
            form.add_error(None, str(refused.message))
            return self.render("group", form=form)
        if kind == grouping.JOINT:
            messages.success(
                request,
                _("The account %(other)s is now grouped with yours as a joint account.") % {"other": other.identifier},
            )
        else:
            messages.success(
                request, _("The account %(other)s is now grouped with yours.") % {"other": other.identifier}
            )
        return redirect("cas_server:educonnect_aten_account")

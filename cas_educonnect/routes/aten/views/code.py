"""First login with an ATEN activation code (CAR or CAE) and the pupil's birth date.

The code replaces the identifier and provisional password of the letter: once it and the
birth date match, the session is bound to the code's account exactly as a provisional-
password login binds it, and the activation pages do the rest (that pupil's birth date is
not asked again). Wrong codes are counted per client IP, wrong birth dates per account in
the ``birth_date`` scope the activation page uses too, each counted *before* the check, so
parallel guesses cannot all be compared. One message for a wrong code and a wrong date.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from cas_educonnect.accounts import codes
from cas_educonnect.core.clientip import client_ip
from cas_educonnect.core.ratelimit import locked_error, throttle
from cas_educonnect.core.redirects import safe_service
from cas_educonnect.models import AccountState
from cas_educonnect.routes.aten.forms import ActivationCodeForm
from cas_educonnect.routes.aten.session import start_activation
from cas_educonnect.routes.aten.views import page

logger = logging.getLogger(__name__)


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class ActivationCodeView(View):
    """« J'ai reçu un code d'activation »: code + birth date, then the activation pages."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not codes.codes_enabled():
            raise Http404("activation codes are not distributed")
        self.service = safe_service(request.POST.get("service") or request.GET.get("service"))
        return super().dispatch(request, *args, **kwargs)

    def render(self, form: ActivationCodeForm, status: int = 200) -> HttpResponse:
        return page(self.request, "code", {"form": form, "service": self.service}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(ActivationCodeForm())

    def wrong(self, form: ActivationCodeForm) -> HttpResponse:
        form.add_error(None, _("The activation code or the date of birth is not correct."))
        return self.render(form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ActivationCodeForm(request.POST)
        if not form.is_valid():  # nothing was checked: nothing is counted
            return self.render(form)
        per_ip = throttle("activation_code_ip", client_ip(request) or "-")
        refused = per_ip.hit()
        if not refused.allowed:
            form.add_error(None, locked_error([refused]))
            return self.render(form)
        code = codes.find(form.cleaned_data["code"])
        if code is None or not codes.codes_enabled(code.establishment):
            logger.warning("Wrong activation code")
            return self.wrong(form)  # the IP's hit stays counted
        account = code.account
        per_account = throttle("birth_date", str(account.pk))
        result = per_account.hit()
        if not result.allowed:
            per_ip.refund()  # the code was right: not a guess of this address
            form.add_error(None, locked_error([result]))
            return self.render(form)
        if not codes.birth_date_matches(code, form.cleaned_data["birth_date"]):
            logger.warning("Wrong birth date with the activation code of %s", account.identifier)
            return self.wrong(form)
        per_account.reset()
        per_ip.refund()
        if account.refused or account.state not in (AccountState.NOTIFIED, AccountState.ACTIVATING):
            return self.wrong(form)  # codes go at activation: only a race gets here
        start_activation(request, account, self.service, proven=[code.pupil_id])
        logger.info("Activation-code login of %s (%s)", account.identifier, code.kind)
        if account.state == AccountState.ACTIVATING:
            return redirect("cas_server:educonnect_aten_pending")
        return redirect("cas_server:educonnect_aten_activate")

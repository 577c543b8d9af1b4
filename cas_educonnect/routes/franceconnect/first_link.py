"""First FranceConnect login: prove the mobile known to the school, then the children's birth dates.

The FranceConnect identity verified by the callback waits in the session (``views.IDENTITY_KEY``).
Three steps, each a POST on the same URL, reuse the SMS machinery of ``cas_educonnect.routes.sms``
(codes, limits, children, grouping of accounts): mobile number -> SMS code -> birth dates.
Only then is the ``sub`` linked to the person's (possibly new, grouped) account; the email
FranceConnect returns is never used to find anyone.
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache

from cas_educonnect.conf import settings
from cas_educonnect.core.forms import BirthDatesForm, DsfrForm
from cas_educonnect.login.flow import LoginRoute, complete_login, login_url
from cas_educonnect.routes.franceconnect.base import Identity
from cas_educonnect.routes.franceconnect.linking import link, names_match_people, store_login
from cas_educonnect.routes.franceconnect.views import IDENTITY_KEY

# The first link proves the mobile number known to the school by an SMS code: FranceConnect
# needs the SMS route (check educonnect_franceconnect.E004).
from cas_educonnect.routes.sms import services

logger = logging.getLogger(__name__)

STATE_KEY = "educonnect_fc_link"
TEMPLATE = "cas_educonnect/franceconnect/link.html"


class MobileForm(DsfrForm):
    mobile = forms.CharField(
        label=_("Mobile phone number given to the school"),
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


class CodeForm(DsfrForm):
    code = forms.CharField(
        label=_("Code received by text message"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class DatesForm(BirthDatesForm):
    """The children's birth dates, named ``birth_date_<id>``."""

    field_name = "birth_date_{pk}"

    def label(self, pupil: Any) -> str:
        return f"{pupil.first_name} ({pupil.establishment.name})"


@method_decorator(never_cache, name="dispatch")
class LinkView(View):
    """The three-step first link; the step lives in the session, never in the form."""

    step_forms = {"mobile": MobileForm, "code": CodeForm}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        data = request.session.get(IDENTITY_KEY)
        if not isinstance(data, dict):
            return HttpResponseRedirect(login_url())
        self.identity = Identity(
            sub=data["sub"],
            claims={k: data.get(k, "") for k in ("given_name", "family_name", "birthdate")},
            acr=data.get("acr", ""),
            id_token=data.get("id_token", ""),
        )
        self.service = data.get("service", "")
        self.state = request.session.get(STATE_KEY) or {"step": "mobile"}
        return super().dispatch(request, *args, **kwargs)

    def render(self, status: int = 200, **context: Any) -> HttpResponse:
        step = self.state["step"]
        if "form" not in context:
            context["form"] = DatesForm(pupils=self.pupils()) if step == "dates" else self.step_forms[step]()
        context.update(step=step, identity=self.identity, masked=self.state.get("masked", ""), service=self.service)
        return render(self.request, TEMPLATE, context, status=status)

    def save(self, **changes: Any) -> None:
        self.state = {**self.state, **changes}
        self.request.session[STATE_KEY] = self.state

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render()

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("restart"):
            self.request.session.pop(STATE_KEY, None)
            self.state = {"step": "mobile"}
            return self.render()
        handler = {"mobile": self.post_mobile, "code": self.post_code, "dates": self.post_dates}[self.state["step"]]
        return handler()

    # --- step 1: the mobile number known to the school ------------------------------------
    def post_mobile(self) -> HttpResponse:
        form = MobileForm(self.request.POST)
        number = services.parse_mobile(form.data.get("mobile", "")) if form.is_valid() else None
        if number is None:
            form.add_error("mobile", _("Enter a French mobile number, for example 06 12 34 56 78."))
            return self.render(status=400, form=form)
        e164 = number.as_e164
        reps = services.find_representatives(e164)
        try:
            challenge = services.start_challenge(
                "franceconnect", e164, [r.pk for r in reps], ip=services.client_ip(self.request)
            )
        except services.CodeThrottled as exc:
            return self.render(status=429, form=form, error=services.throttle_message(exc))
        # Same page whether or not the number is known: no directory oracle.
        self.save(step="code", challenge=str(challenge.public_id), masked=services.mask_number(e164))
        return self.render()

    # --- step 2: the SMS code ---------------------------------------------------------------
    def post_code(self) -> HttpResponse:
        form = CodeForm(self.request.POST)
        code = form.data.get("code", "").strip()
        result = services.verify_code(self.state["challenge"], code)
        if not result.ok:
            return self.render(status=400, form=form, error=services.verify_message(result))
        reps = services.representatives_by_ids(result.subject_ids)
        if settings.CAS_EDUCONNECT_FRANCECONNECT_COMPARE_NAMES and not names_match_people(self.identity, reps):
            logger.info("FranceConnect first link refused: names differ from the directory")
            self.request.session.pop(STATE_KEY, None)
            return self.render(
                status=403,
                error=_(
                    "The name given by FranceConnect does not match the one known to your child's school. "
                    "Contact the school to correct it, or log in with your EduConnect identifier."
                ),
            )
        self.save(step="dates", representatives=[r.pk for r in reps])
        return self.render()

    # --- step 3: the children's birth dates -------------------------------------------------
    def pupils(self) -> list:
        return services.children_of(self.state.get("representatives", []))

    def post_dates(self) -> HttpResponse:
        challenge = services.get_challenge(self.state["challenge"])
        pupils = self.pupils()
        form = DatesForm(self.request.POST, pupils=pupils)
        if not form.is_valid():  # not a date at all: no attempt spent, the fields say what to type
            return self.render(status=400, form=form)
        ok, remaining = services.check_birth_dates(challenge, pupils, form.answers()) if challenge else (False, 0)
        if not ok:
            if remaining <= 0:
                self.request.session.pop(STATE_KEY, None)
                self.state = {"step": "mobile"}
                return self.render(status=403, error=_("Too many incorrect birth dates. Start again."))
            return self.render(
                status=400,
                form=form,
                error=ngettext(
                    "At least one birth date is incorrect. %(remaining)s attempt left.",
                    "At least one birth date is incorrect. %(remaining)s attempts left.",
                    remaining,
                )
                % {"remaining": remaining},
            )
        return self.finish(services, challenge)

    def finish(self, services: Any, challenge: Any) -> HttpResponse:
        reps = services.representatives_by_ids(self.state["representatives"])
        try:
            with transaction.atomic():  # grouping, link and proof consumption stand or fall together
                account = services.returning_account([r.pk for r in reps])
                if account is None:
                    account = services.register_account(reps, services.target_identifier(reps), password=None).account
                link(account, self.identity)
                if not services.consume(challenge):
                    raise ValueError("SMS proof already used")
        except ValueError as exc:
            logger.warning("FranceConnect first link failed: %s", exc)
            self.request.session.pop(STATE_KEY, None)
            return self.render(status=409, error=_("This link could not be completed. Start again."))
        for key in (STATE_KEY, IDENTITY_KEY):
            self.request.session.pop(key, None)
        store_login(self.request, self.identity)
        return complete_login(self.request, account.identifier, self.service, route=LoginRoute.FRANCECONNECT)

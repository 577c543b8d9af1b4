"""The staff admin site: Django's admin behind django-otp, scoped per school.

A staff user reaches a page only once verified by an OTP device in this session
(``OTPAdminSite.has_permission``), and only if he administers at least one school (head,
agent with an active delegation) or is an academy operator (superuser). The login form asks
the password and the OTP code at once and answers every failure alike, so the page never
tells that a password was right; a first device is enrolled only through an enrolment link
(``staff.admin.enrolment``).
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cas_educonnect.core.ratelimit import (
    admin_login_throttles,
    hit_all,
    locked_error,
    login_succeeded,
)
from cas_educonnect.staff import schoolyear
from cas_educonnect.staff.scoping import establishments_for, is_operator

logger = logging.getLogger(__name__)

#: The one answer to a failed staff login, whichever factor was wrong.
FAILED_LOGIN = _(
    "Enter the correct username, password and authentication code of a staff account. "
    "Note that the username and the password may be case-sensitive."
)


class CodeInput(forms.TextInput):
    """A code field never filled back: a code is single use, and echoing it tells nothing useful."""

    def format_value(self, value):
        return None


class StaffAuthenticationForm(OTPAdminAuthenticationForm):
    """Password plus OTP code in one form, throttled per username and per client IP.

    The counters are hit before anything is checked (increment-then-decide: parallel
    guesses cannot all pass under the limit); while locked nothing is checked. A wrong
    password, an unknown username, a missing or wrong code and a user without a device all
    get :data:`FAILED_LOGIN`, with the same fields (the device list is never shown).
    """

    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        max_length=16,
        widget=CodeInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        throttles = admin_login_throttles(self.data.get("username") or "", self.request)
        refused = hit_all(throttles)
        if refused:
            logger.warning("Staff login refused while throttled")
            self.user_cache = None
            raise forms.ValidationError(
                [
                    forms.ValidationError(FAILED_LOGIN, code="invalid_login"),
                    locked_error(refused),
                ]
            )
        if not (self.cleaned_data.get("username") and self.cleaned_data.get("password")):
            for limit in throttles:  # a field missing: nothing was checked
                limit.refund()
            return self.cleaned_data
        try:
            self.cleaned_data = AdminAuthenticationForm.clean(self)
            user = self.get_user()
            if user is None:
                raise forms.ValidationError(FAILED_LOGIN, code="invalid_login")
            self.clean_otp(user)
        except forms.ValidationError:
            self.user_cache = None  # the template and the view must not learn who it was
            raise forms.ValidationError(FAILED_LOGIN, code="invalid_login") from None
        login_succeeded(throttles)
        return self.cleaned_data

    def _update_form(self, user):
        """django-otp fills the device list once the password is right: never here."""

    def _chosen_device(self, user):
        """The device the code's shape belongs to: 6 digits the TOTP device, else a backup code.

        One device is tried, so a typo never throttles the other; a device id posted by the
        client is ignored (the form shows no list).
        """
        token = (self.cleaned_data.get("otp_token") or "").strip()
        totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if totp is not None and token.isdigit() and len(token) == totp.digits:
            return totp
        return StaticDevice.objects.filter(user=user, confirmed=True).first() or totp


class EduconnectAdminSite(OTPAdminSite):
    site_header = _("School administration")
    site_title = _("School administration")
    index_title = _("Accounts and online services")
    login_form = StaffAuthenticationForm
    login_template = "cas_educonnect/admin/login.html"
    index_template = "cas_educonnect/admin/index.html"
    #: Dotted path of ``urls(site) -> list`` giving the staff pages (imported when the URLs are built).
    extra_urls = "cas_educonnect.staff.admin.urls.urls"

    #: Models of ``admin.site`` not served here (``app_label.model_name``), each for a reason:
    #: backup codes (their tokens in clear) are issued and reset by the staff pages; TOTP devices
    #: are listed read only as ``educonnect_staff.authenticatordevice`` (admin/operators.py);
    #: groups carry Django model permissions, which no staff right uses; the DSFR site settings
    #: and the task results (their arguments) are the host's, on its own admin if it mounts one.
    not_adopted: tuple[str, ...] = (
        "otp_static.staticdevice",
        "otp_totp.totpdevice",
        "auth.group",
        "dsfr.dsfrconfig",
        "django_tasks_database.dbtaskresult",
    )

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def each_context(self, request: HttpRequest) -> dict:
        """Every page names the school year in force in its header (« Année 2026-2027 »)."""
        context = super().each_context(request)
        year = schoolyear.current()
        context["school_year"] = year
        context["site_header"] = _("%(header)s (year %(year)s)") % {"header": context["site_header"], "year": year}
        return context

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        return is_operator(request.user) or establishments_for(request.user).exists()

    def get_urls(self):
        self._adopt_default_site()
        return import_string(self.extra_urls)(self) + super().get_urls()

    def _adopt_default_site(self) -> None:
        """Serve the project's other admins (cas_server, auth, otp devices...) to operators.

        They keep Django's model permissions, which school staff do not have.
        """
        for model, model_admin in list(admin.site._registry.items()):
            if model not in self._registry and model._meta.label_lower not in self.not_adopted:
                self.register(model, operators_only(type(model_admin)))


def operators_only(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """``admin_class`` for academy operators only: a head given Django model permissions by
    mistake still never sees the host's, auth's or django-otp's models (English, academy-wide)."""

    def allowed(method):
        def check(self, request, *args, **kwargs):
            return is_operator(request.user) and method(self, request, *args, **kwargs)

        return check

    names = ["has_module_permission", "has_view_permission", "has_add_permission"]
    names += ["has_change_permission", "has_delete_permission"]
    attrs = {name: allowed(getattr(admin_class, name)) for name in names}
    return type(admin_class.__name__, (admin_class,), {**attrs, "__module__": admin_class.__module__})


site = EduconnectAdminSite()

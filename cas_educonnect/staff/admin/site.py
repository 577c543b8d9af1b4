"""The staff admin site: Django's admin behind django-otp, scoped per school.

A staff user reaches a page only once verified by an OTP device in this session
(``OTPAdminSite.has_permission``), and only if he administers at least one school (head,
agent with an active delegation) or is an academy operator (superuser). A staff user who
has no device yet logs in with his password alone and is sent to the enrolment page.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cas_educonnect.staff.admin.devices import may_enrol
from cas_educonnect.staff.scoping import establishments_for, is_operator


class StaffAuthenticationForm(OTPAdminAuthenticationForm):
    """Password plus OTP token; the token is skipped only for a first-device enrolment."""

    def clean_otp(self, user):
        if user is not None and may_enrol(user):
            return
        super().clean_otp(user)

    def _chosen_device(self, user):
        """The device picked in the list, else the one the token's shape belongs to.

        A 6-digit code is the TOTP device's, anything else a backup code: one device is
        tried, so a typo never throttles the other.
        """
        device = super()._chosen_device(user)
        if device is not None:
            return device
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
    index_template = "cas_educonnect/admin/index.html"
    #: Dotted path of ``urls(site) -> list`` giving the staff pages (imported when the URLs are built).
    extra_urls = "cas_educonnect.staff.admin.urls.urls"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        return is_operator(request.user) or establishments_for(request.user).exists()

    def login(self, request, extra_context=None):
        if may_enrol(request.user):
            return HttpResponseRedirect(reverse(f"{self.name}:educonnect_enrol"))
        return super().login(request, extra_context)

    def get_urls(self):
        self._adopt_default_site()
        return import_string(self.extra_urls)(self) + super().get_urls()

    def _adopt_default_site(self) -> None:
        """Serve the project's other admins (cas_server, auth, otp devices...) to operators.

        They keep Django's model permissions, which school staff do not have.
        """
        for model, model_admin in list(admin.site._registry.items()):
            if model not in self._registry:
                self.register(model, type(model_admin))


site = EduconnectAdminSite()

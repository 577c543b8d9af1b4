"""Second factor for staff: first TOTP device enrolment (by link, QR code), backup codes, reset."""

from __future__ import annotations

import io
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cas_educonnect.core.ratelimit import (
    admin_login_throttles,
    hit_all,
    locked_error,
    login_succeeded,
)
from cas_educonnect.staff.admin.devices import may_enrol
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.models import AuditAction

ENROL_DEVICE_NAME = "educonnect-enrolment"
BACKUP_CODES = 10
#: Session key of the enrolment link being used ({"user": pk, "token": token}).
ENROL_SESSION_KEY = "educonnect_enrolment"


def manual_key(device: TOTPDevice) -> str:
    """The device's secret as authenticator apps ask for it when typed: base32, in groups of 4.

    django-otp stores it in hex, which no authenticator accepts; the QR code carries base32 too.
    """
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(data: str) -> str:
    """An inline SVG QR code of ``data`` (an otpauth:// URI)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def issue_backup_codes(user) -> list[str]:
    """Replace the user's single-use backup codes; return the new ones (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def reset_devices(user) -> int:
    """Remove every OTP device of ``user`` (he enrols again with a new link). Returns the count."""
    count = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        count += 1
    return count


class EnrolForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    token = forms.CharField(label=_("Code shown by the application"), max_length=8)


def _link_user(uidb64: str):
    try:
        return get_user_model()._default_manager.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError, get_user_model().DoesNotExist):
        return None


class EnrolLinkView(View):
    """The enrolment link: checked, then kept in the session (out of the address bar, as
    Django's password reset does) and the member sent to the enrolment page."""

    site = None

    def get(self, request, uidb64: str, token: str):
        user = _link_user(uidb64)
        if not may_enrol(user, token):
            return _invalid(self.site, request)
        request.session[ENROL_SESSION_KEY] = {"user": user.pk, "token": token}
        return HttpResponseRedirect(reverse(f"{self.site.name}:educonnect_enrol"))


def _invalid(site, request):
    context = {**site.each_context(request), "title": _("Two-factor authentication"), "invalid": True}
    return render(request, "cas_educonnect/admin/otp_enrol.html", context, status=400)


class EnrolView(View):
    """Shows the QR code of a new TOTP device to the holder of a valid enrolment link; his
    password and a correct code confirm it and open a verified session."""

    site = None
    template_name = "cas_educonnect/admin/otp_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        pending = request.session.get(ENROL_SESSION_KEY) or {}
        self.user = get_user_model()._default_manager.filter(pk=pending.get("user")).first()
        if not may_enrol(self.user, pending.get("token") or ""):
            request.session.pop(ENROL_SESSION_KEY, None)
            return _invalid(self.site, request)
        return super().dispatch(request, *args, **kwargs)

    def _device(self, user) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=user, confirmed=False, name=ENROL_DEVICE_NAME).first()
        return device or TOTPDevice.objects.create(user=user, confirmed=False, name=ENROL_DEVICE_NAME)

    def _render(self, request, device, form):
        context = {
            **self.site.each_context(request),
            "title": _("Two-factor authentication"),
            "form": form,
            "username": self.user.get_username(),
            "qr_svg": qr_svg(device.config_url),
            "secret": manual_key(device),
        }
        return render(request, self.template_name, context)

    def get(self, request):
        return self._render(request, self._device(self.user), EnrolForm())

    def post(self, request):
        device = self._device(self.user)
        form = EnrolForm(request.POST)
        if not form.is_valid():
            return self._render(request, device, form)
        throttles = admin_login_throttles(self.user.get_username(), request)
        refused = hit_all(throttles)
        if refused:
            form.add_error(None, locked_error(refused))
            return self._render(request, device, form)
        user = authenticate(request, username=self.user.get_username(), password=form.cleaned_data["password"])
        if user is None or user.pk != self.user.pk or not device.verify_token(form.cleaned_data["token"].strip()):
            form.add_error(None, _("The password or the code is not right. Check the time of your device."))
            return self._render(request, device, form)
        login_succeeded(throttles)
        with transaction.atomic():
            device.confirmed = True
            device.name = "TOTP"
            device.save()
            codes = issue_backup_codes(user)
        context = {**self.site.each_context(request), "title": _("Backup codes"), "codes": codes}
        del request.session[ENROL_SESSION_KEY]
        user.otp_device = device  # django-otp's login signal puts it in the session
        auth_login(request, user)  # updates last_login: the link is spent
        record(user, AuditAction.DEVICE_ENROLLED)
        return render(request, "cas_educonnect/admin/otp_codes.html", context)

"""Second factor for staff: first TOTP device enrolment (QR code), backup codes, reset."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cas_educonnect.staff.admin.devices import may_enrol
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.models import AuditAction

ENROL_DEVICE_NAME = "educonnect-enrolment"
BACKUP_CODES = 10


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
    """Remove every OTP device of ``user`` (he enrols again at next login). Returns the count."""
    count = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        count += 1
    return count


class TokenForm(forms.Form):
    token = forms.CharField(label=_("Code shown by the application"), max_length=8)


class EnrolView(View):
    """Shows the QR code of a new TOTP device; a correct code confirms it and verifies the session."""

    site = None
    template_name = "cas_educonnect/admin/otp_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_enrol(request.user):
            return HttpResponseRedirect(reverse(f"{self.site.name}:login"))
        return super().dispatch(request, *args, **kwargs)

    def _device(self, user) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=user, confirmed=False, name=ENROL_DEVICE_NAME).first()
        return device or TOTPDevice.objects.create(user=user, confirmed=False, name=ENROL_DEVICE_NAME)

    def _render(self, request, device, form, codes=None):
        context = {
            **self.site.each_context(request),
            "title": _("Two-factor authentication"),
            "form": form,
            "qr_svg": qr_svg(device.config_url),
            "secret": device.key,
            "codes": codes,
            REDIRECT_FIELD_NAME: request.GET.get(REDIRECT_FIELD_NAME, ""),
        }
        return render(request, self.template_name, context)

    def get(self, request):
        return self._render(request, self._device(request.user), TokenForm())

    def post(self, request):
        device = self._device(request.user)
        form = TokenForm(request.POST)
        if form.is_valid() and device.verify_token(form.cleaned_data["token"].strip()):
            with transaction.atomic():
                device.confirmed = True
                device.name = "TOTP"
                device.save()
                codes = issue_backup_codes(request.user)
            otp_login(request, device)
            record(request.user, AuditAction.DEVICE_ENROLLED)
            context = {**self.site.each_context(request), "title": _("Backup codes"), "codes": codes}
            return render(request, "cas_educonnect/admin/otp_codes.html", context)
        if form.is_valid():
            form.add_error("token", _("This code is not valid. Check the time of your device and try again."))
        return self._render(request, device, form)

"""django-otp's TOTP devices as the staff admin names them (a proxy: no table, no migration of
django-otp, French names on its admin pages, breadcrumbs and index)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class AuthenticatorDevice(TOTPDevice):
    class Meta:
        proxy = True
        verbose_name = _("authentication application")
        verbose_name_plural = _("authentication applications")

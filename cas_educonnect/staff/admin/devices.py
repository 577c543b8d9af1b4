"""Enrolment links: the only way a staff member registers his first OTP device.

The password is one factor: it must never give the second one. A link is made when an
operator gives a staff role to a member with no device or resets his devices, and shown
once to that operator. It is derived like Django's password reset tokens (HMAC of the user's
state and a timestamp, nothing stored), valid ``CAS_EDUCONNECT_ADMIN_ENROLMENT_LINK_VALIDITY``
seconds, and single use: the enrolment confirms a device and logs the member in, which
changes the state it was derived from.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django_otp import devices_for_user

from cas_educonnect.conf import settings


def has_confirmed_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


class EnrolmentTokenGenerator(PasswordResetTokenGenerator):
    """Tokens bound to the user's last login and confirmed devices, with their own validity."""

    key_salt = "cas_educonnect.staff.admin.devices.EnrolmentTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        login = "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None)
        devices = ",".join(sorted(device.persistent_id for device in devices_for_user(user, confirmed=True)))
        return f"{user.pk}|{login}|{devices}|{user.is_active}|{user.is_staff}|{timestamp}"

    def check_token(self, user, token: str) -> bool:
        if not (user and token) or not isinstance(token, str):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > settings.CAS_EDUCONNECT_ADMIN_ENROLMENT_LINK_VALIDITY:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


enrolment_tokens = EnrolmentTokenGenerator()


def may_enrol(user, token: str) -> bool:
    """Whether ``token`` opens the enrolment of ``user``'s first device now."""
    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and not has_confirmed_device(user)
        and enrolment_tokens.check_token(user, token)
    )


def enrolment_url(request: HttpRequest, user, site_name: str = "admin") -> str:
    """A fresh enrolment link of ``user`` (absolute URL), to be shown once to whoever made it."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(f"{site_name}:educonnect_enrol_link", args=[uid, enrolment_tokens.make_token(user)])
    return request.build_absolute_uri(path)

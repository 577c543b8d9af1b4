"""Whether a staff member has a second factor yet, and may enrol his first one."""

from __future__ import annotations

from django_otp import devices_for_user

from cas_educonnect.conf import settings


def has_confirmed_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def may_enrol(user) -> bool:
    """A first device may be added with the password alone, never a second one."""
    return (
        settings.CAS_EDUCONNECT_ADMIN_SELF_ENROLMENT
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not has_confirmed_device(user)
    )

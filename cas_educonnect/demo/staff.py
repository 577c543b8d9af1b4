"""Demo step: the academy operator (superuser) of the demo, with his TOTP device.

Staff enrol their first device only through an enrolment link; the demo's staff get theirs
here, and the secret is printed (scan the otpauth:// URI or ``manage.py educonnect_totp``).
"""

from __future__ import annotations

from base64 import b32encode

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from cas_educonnect.demo import DemoContext

OPERATOR_USERNAME = "operateur"
OPERATOR_PASSWORD = "demo-operateur-2026"


def run(context: DemoContext) -> None:
    user_model = get_user_model()
    user, created = user_model._default_manager.get_or_create(
        **{user_model.USERNAME_FIELD: OPERATOR_USERNAME},
        defaults={"is_staff": True, "is_superuser": True},
    )
    if created or not user.check_password(OPERATOR_PASSWORD):
        user.set_password(OPERATOR_PASSWORD)
        user.is_staff = user.is_superuser = True
        user.save()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    secret = b32encode(device.bin_key).decode()
    context.add_account(
        OPERATOR_USERNAME,
        OPERATOR_PASSWORD,
        "active",
        "Opérateur académique (/admin/, code TOTP)",
        totp_secret=secret,
        otpauth_uri=device.config_url,
    )
    context.notes.append(
        f"Academy operator: {context.base_url}/admin/ as {OPERATOR_USERNAME} / {OPERATOR_PASSWORD} + TOTP code.\n"
        f"  TOTP secret (base32): {secret}\n  otpauth URI: {device.config_url}\n"
        f"  Current code: python example_project/manage.py educonnect_totp {OPERATOR_USERNAME}"
    )

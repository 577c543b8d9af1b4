# ruff: noqa: F811  (pytest fixtures imported from the feature suites are redefined as arguments)
"""Brute force: the counters the feature suites do not already show (SMS code, staff TOTP).

Login per identifier and per IP, and ATEN birth dates: ``tests/aten/test_throttle.py``; SMS
birth dates: ``tests/sms/test_flow.py``. Here: the SMS code dies after its attempts even for
the right code, and the staff TOTP is throttled after a failure (session rotation at each
login: ``test_session_rotation.py``).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.sms.conftest import enter_code, last_code, sms_locmem, start, text  # noqa: F401
from tests.sms.conftest import family as sms_family  # noqa: F401
from tests.sms.conftest import service as sms_service  # noqa: F401
from tests.staff.conftest import head_a, school_a, school_factory, totp_now  # noqa: F401
from tests.staff.test_otp import INDEX
from tests.staff.test_otp import login as staff_login

pytestmark = pytest.mark.django_db


def test_sms_code_dies_after_its_attempts_even_for_the_right_code(
    client, sms_family, sms_service, sms_locmem, settings
):  # noqa: F811
    settings.CAS_EDUCONNECT_SMS_CODE_MAX_ATTEMPTS = 3
    start(client)
    code = last_code(sms_locmem)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for _ in range(3):
        assert enter_code(client, wrong).status_code == 200
    response = enter_code(client, code)
    assert response.status_code in (200, 400) and "Location" not in response, "the right code came too late"
    # The next step stays closed (400: no verified code in this session).
    assert client.get("/cas/inscription-sms/dates-de-naissance/").status_code == 400


def test_staff_totp_is_throttled_after_a_failure(client, head_a):  # noqa: F811
    good = totp_now(head_a.totp)
    staff_login(client, "head.a", f"{(int(good) + 1) % 1000000:06d}")
    # Throttled now: the right code is refused too.
    staff_login(client, "head.a", totp_now(head_a.totp))
    assert client.get(INDEX).status_code == 302
    device = TOTPDevice.objects.get(pk=head_a.totp.pk)
    assert device.throttling_failure_count >= 1
    # Once the delay has passed, the right code works (the counter is not a permanent lock).
    device.throttling_failure_timestamp = timezone.now() - datetime.timedelta(seconds=60)
    device.last_t = -1
    device.save()
    response = staff_login(client, "head.a", totp_now(head_a.totp))
    assert response.status_code == 302 and client.get(INDEX).status_code == 200


def test_pages_of_sms_code_say_what_happened(client, sms_family, sms_service, sms_locmem):  # noqa: F811
    start(client)
    page = text(enter_code(client, "000000" if last_code(sms_locmem) != "000000" else "111111"))
    assert "code" in page.lower()

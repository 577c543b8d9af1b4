"""The admin requires a verified OTP device; first-device enrolment by link only; backup codes; reset."""

from __future__ import annotations

import datetime
import re
from base64 import b32encode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cas_educonnect.staff.admin.devices import enrolment_tokens
from cas_educonnect.staff.models import AuditAction, AuditLog, Delegation, Role, StaffRole

from .conftest import PASSWORD, make_staff, totp_now, verified_client

INDEX = "/admin/"
LOGIN = "/admin/login/"
LINK = r"https?://[^\s<\"]+/admin/otp/enrol/[^/\s]+/[^/\s]+/"


def login(client, username, token=""):
    return client.post(f"{LOGIN}?next={INDEX}", {"username": username, "password": PASSWORD, "otp_token": token})


@pytest.mark.django_db
def test_password_alone_gives_no_admin_page(client, head_a):
    response = login(client, "head.a")
    assert response.status_code == 200  # form shown again with an error
    assert client.get(INDEX).status_code == 302
    assert client.get(reverse("admin:cas_educonnect_account_changelist")).status_code == 302


@pytest.mark.django_db
def test_password_and_totp_give_the_admin(client, head_a):
    response = login(client, "head.a", totp_now(head_a.totp))
    assert response.status_code == 302 and response["Location"] == INDEX
    assert client.get(INDEX).status_code == 200


@pytest.mark.django_db
def test_wrong_totp_is_refused(client, head_a):
    good = totp_now(head_a.totp)
    login(client, "head.a", f"{(int(good) + 1) % 1000000:06d}")
    assert client.get(INDEX).status_code == 302


def enrol_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("admin:educonnect_enrol_link", args=[uid, enrolment_tokens.make_token(user)])


def let_throttle_pass(device):
    """A failure throttles the device for a second; let that second pass."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=5)
    )


@pytest.mark.django_db
def test_a_member_without_device_cannot_log_in_nor_enrol_with_his_password(client, school_a):
    user = make_staff("new.head", school_a.establishment, device=False)
    response = login(client, "new.head")
    assert response.status_code == 200 and client.get(INDEX).status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:educonnect_enrol")).status_code == 400
    assert client.post(reverse("admin:educonnect_enrol"), {"password": PASSWORD, "token": "123456"}).status_code == 400
    assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_enrolment_link_then_qr_code_then_backup_codes(client, school_a):
    user = make_staff("new.head", school_a.establishment, device=False)
    link = enrol_link(user)
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == reverse("admin:educonnect_enrol")
    page = client.get(reverse("admin:educonnect_enrol"))
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The key to type by hand is base32 (what authenticator apps take), never django-otp's hex.
    typed = b32encode(device.bin_key).decode().rstrip("=")
    shown = re.search(r'id="otp-secret">([^<]+)<', page.content.decode()).group(1)
    assert shown.replace(" ", "") == typed and device.key not in page.content.decode()
    wrong = "000000" if totp_now(device) != "000000" else "111111"
    bad = client.post(reverse("admin:educonnect_enrol"), {"password": PASSWORD, "token": wrong})
    assert bad.status_code == 200 and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    let_throttle_pass(device)
    bad = client.post(reverse("admin:educonnect_enrol"), {"password": "not-his", "token": totp_now(device)})
    assert bad.status_code == 200 and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    let_throttle_pass(device)
    response = client.post(reverse("admin:educonnect_enrol"), {"password": PASSWORD, "token": totp_now(device)})
    assert response.status_code == 200
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10 and all(code.encode() in response.content for code in codes)
    assert client.get(INDEX).status_code == 200
    assert AuditLog.objects.filter(action=AuditAction.DEVICE_ENROLLED, actor=user).exists()
    # Single use: the link is spent, even for a verified user, even once the devices are reset.
    assert client.get(link).status_code == 400
    assert client.get(reverse("admin:educonnect_enrol")).status_code == 400
    TOTPDevice.objects.filter(user=user).delete()
    assert Client().get(link).status_code == 400

    # A backup code replaces the TOTP code once.
    client.logout()
    login(client, "new.head", codes[0])
    assert client.get(INDEX).status_code == 200
    client.logout()
    login(client, "new.head", codes[0])
    assert client.get(INDEX).status_code == 302


@pytest.mark.django_db
def test_enrolment_link_expires(client, school_a, settings):
    user = make_staff("new.head", school_a.establishment, device=False)
    link = enrol_link(user)
    assert client.get(link).status_code == 302
    settings.CAS_EDUCONNECT_ADMIN_ENROLMENT_LINK_VALIDITY = -1
    assert client.get(link).status_code == 400
    assert client.get(reverse("admin:educonnect_enrol")).status_code == 400


@pytest.mark.django_db
def test_enrolment_is_refused_to_a_user_with_a_device(client, head_a):
    assert client.get(enrol_link(head_a)).status_code == 400
    client.force_login(head_a)
    assert client.get(reverse("admin:educonnect_enrol")).status_code == 400
    assert TOTPDevice.objects.filter(user=head_a).count() == 1


@pytest.mark.django_db
def test_operator_gets_the_link_of_a_new_member_once(client, school_a):
    operator = make_staff("operator", superuser=True)
    member = make_staff("new.agent", device=False)
    verified_client(client, operator)
    response = client.post(
        reverse("admin:educonnect_staff_staffrole_add"),
        {"user": member.pk, "establishment": school_a.establishment.pk, "role": Role.AGENT, "_save": "1"},
        follow=True,
    )
    links = re.findall(LINK, response.content.decode())
    assert len(links) == 1
    assert client.get(reverse("admin:educonnect_staff_staffrole_changelist")).content.decode().count("/otp/enrol/") == 0
    client.logout()
    assert client.get(links[0]).status_code == 302


@pytest.mark.django_db
def test_verified_staff_without_school_gets_nothing(client, db):
    user = make_staff("lonely")
    verified_client(client, user)
    assert client.get(INDEX).status_code == 302


@pytest.mark.django_db
def test_delegation_dates_and_revocation_decide_agent_access(client, school_a, head_a):
    agent = make_staff("agent.a", school_a.establishment, role=Role.AGENT)
    verified_client(client, agent)
    assert client.get(INDEX).status_code == 302  # an agent role alone gives nothing
    today = timezone.localdate()
    expired = Delegation.objects.create(
        granted_by=head_a,
        agent=agent,
        establishment=school_a.establishment,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=1),
    )
    assert client.get(INDEX).status_code == 302
    expired.ends_on = today
    expired.save()
    assert client.get(INDEX).status_code == 200
    expired.revoked_at = timezone.now()
    expired.save()
    assert client.get(INDEX).status_code == 302


@pytest.mark.django_db
def test_operator_resets_a_staff_members_devices(client, head_a):
    operator = make_staff("operator", superuser=True)
    verified_client(client, operator)
    role = StaffRole.objects.get(user=head_a)
    response = client.post(
        reverse("admin:educonnect_staff_staffrole_changelist"),
        {"action": "reset_otp_devices", "_selected_action": [role.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=head_a).exists()
    entry = AuditLog.objects.get(action=AuditAction.DEVICES_RESET)
    assert entry.actor == operator and "head.a" in entry.detail
    # The member enrols again only through the link shown to the operator.
    page = client.get(reverse("admin:educonnect_staff_staffrole_changelist")).content.decode()
    links = re.findall(LINK, page)
    assert len(links) == 1
    assert Client().get(links[0]).status_code == 302


@pytest.mark.django_db
def test_a_head_cannot_reset_devices(client, head_a, school_a):
    verified_client(client, head_a)
    role = StaffRole.objects.get(user=head_a)
    client.post(
        reverse("admin:educonnect_staff_staffrole_changelist"),
        {"action": "reset_otp_devices", "_selected_action": [role.pk]},
    )
    assert TOTPDevice.objects.filter(user=head_a).exists()

"""ATEN activation codes in the staff admin: printed in the letters, regenerated, invalidated, scoped."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from cas_educonnect.accounts import codes
from cas_educonnect.models import ActivationCode
from cas_educonnect.staff.models import AuditAction, AuditLog

from .conftest import make_staff, verified_client
from .helpers import pdf_pages

CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


def printed_code(response) -> str | None:
    return printed(response)[1]


def printed(response) -> tuple[str, str | None]:
    text = " ".join(pdf_pages(response)).replace("\n", " ")
    found = CODE.findall(text)
    return text, found[-1] if found else None


@pytest.mark.django_db
def test_letters_print_a_code_only_when_the_academy_distributes_them(client, school_a, head_a, settings):
    verified_client(client, head_a)
    account = school_a.rep_accounts[1]  # notified representative of pupil 1
    letter = reverse("admin:educonnect_account_letter", args=[account.pk])
    assert printed_code(client.get(letter)) is None and not ActivationCode.objects.exists()

    settings.CAS_EDUCONNECT_ATEN_ACTIVATION_CODES = True
    text, code = printed(client.get(letter))
    assert code and "date de naissance" in text
    row = codes.find(code)
    assert row.account == account and row.pupil == school_a.pupils[1] and row.representative == school_a.reps[1]
    page = client.get(reverse("admin:cas_educonnect_account_change", args=[account.pk]))
    assert b"educonnect-activation-codes" in page.content and code.encode() not in page.content
    assert code not in str(list(AuditLog.objects.values("detail", "identifiers")))

    # An email notification carries it too (representative 0 has an address).
    first = school_a.rep_accounts[0]
    client.post(reverse("admin:educonnect_account_renotify", args=[first.pk]), {"mode": "email"})
    sent = CODE.findall(mail.outbox[-1].body)
    assert sent and codes.find(sent[0]).account == first


@pytest.mark.django_db
def test_regenerate_replaces_the_codes_and_invalidate_removes_them(client, school_a, head_a, settings):
    settings.CAS_EDUCONNECT_ATEN_ACTIVATION_CODES = True
    verified_client(client, head_a)
    account = school_a.pupil_accounts[1]  # notified pupil: a CAE
    old = printed_code(client.get(reverse("admin:educonnect_account_letter", args=[account.pk])))
    assert codes.find(old)

    new = printed_code(client.post(reverse("admin:educonnect_account_codes_new", args=[account.pk])))
    assert new and new != old and codes.find(new) and codes.find(old) is None
    assert AuditLog.objects.filter(action=AuditAction.CODES_REGENERATED).exists()

    response = client.post(reverse("admin:educonnect_account_codes_off", args=[account.pk]))
    assert response.status_code == 302
    assert codes.find(new) is None and not account.activation_codes.exists()
    assert AuditLog.objects.filter(action=AuditAction.CODES_INVALIDATED).exists()
    assert client.get(reverse("admin:educonnect_account_codes_off", args=[account.pk])).status_code == 405


@pytest.mark.django_db
def test_codes_of_another_school_are_not_found(client, school_a, school_b, settings):
    settings.CAS_EDUCONNECT_ATEN_ACTIVATION_CODES = True
    account = school_a.pupil_accounts[1]
    clear = codes.issue(account, school_a.pupils[1])
    verified_client(client, make_staff("head.b", school_b.establishment))
    for name in ("admin:educonnect_account_codes_off", "admin:educonnect_account_codes_new"):
        assert client.post(reverse(name, args=[account.pk])).status_code == 404
    assert codes.find(clear)

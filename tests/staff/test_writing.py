"""Notification by email (004 §3.1): a badly formatted address is flagged before sending, and
« Écrire à plusieurs responsables » sends one separate email to each representative."""

from __future__ import annotations

import pytest
from django.core import mail

from cas_educonnect.models import Representative
from cas_educonnect.staff.models import AuditAction, AuditLog

from .conftest import verified_client
from .test_notification import NOTIFY, selected_pairs

WRITE = "/admin/educonnect/notify/write/"


@pytest.mark.django_db
def test_a_badly_formatted_email_is_flagged_in_the_notification_list(client, school_a, head_a):
    Representative.objects.filter(pk=school_a.reps[0].pk).update(email="anne0@@alphamark")
    verified_client(client, head_a)
    response = client.get(
        NOTIFY,
        {
            "school": school_a.establishment.pk,
            "audience": "representatives",
            "divisions": [d.pk for d in school_a.divisions],
            "states": ["not_notified", "notified", "activating", "active"],
        },
    )
    flagged = {row["account"].pk for row in response.context["rows"] if row["bad_email"]}
    assert flagged == {school_a.rep_accounts[0].pk}
    page = response.content.decode()
    assert page.count("educonnect-bad-email") == 1 and "Adresse de messagerie mal formée" in page


@pytest.mark.django_db
def test_writing_to_several_representatives_sends_one_separate_email_each(client, school_a, school_b, head_a):
    Representative.objects.filter(pk=school_a.reps[2].pk).update(email="anne2@@alphamark")
    verified_client(client, head_a)
    pairs = selected_pairs(client, school_a, "representatives")
    forged = f"{school_b.rep_accounts[0].pk}:{school_b.pupils[0].pk}"
    base = {"school": school_a.establishment.pk, "pair": [*pairs, forged]}
    # Step 1: the ticked rows lead to the message form, which lists who will receive it.
    compose = client.post(WRITE, base)
    assert compose.status_code == 200
    text = compose.content.decode()
    assert "anne0@alphamark.example.org" in text and "anne3@alphamark.example.org" in text
    assert "bravomark" not in text.lower()
    assert not mail.outbox
    # Step 2: sent.
    response = client.post(WRITE, {**base, "subject": "Réunion parents-professeurs", "message": "Jeudi à 18 h."})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["anne0@alphamark.example.org", "anne3@alphamark.example.org"]
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert message.subject == "Réunion parents-professeurs" and "Jeudi à 18 h." in message.body
    entry = AuditLog.objects.get(action=AuditAction.EMAIL_WRITTEN)
    assert entry.establishment == school_a.establishment and len(entry.identifiers) == 2
    assert "Jeudi" not in entry.detail  # the audit says what was done, not the letter itself

"""Mass notification: selection, background job, states, emails, summary, letters per division."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext

from cas_educonnect.accounts.passwords import decrypt_provisional_password
from cas_educonnect.models import Account, AccountState
from cas_educonnect.staff.models import AuditAction, AuditLog, JobStatus, NotificationJob

from .conftest import verified_client
from .helpers import pdf_pages

NOTIFY = "/admin/educonnect/notify/"
ALL_STATES = ["not_notified", "notified", "activating", "active"]


def selected_pairs(client, school, audience, states=ALL_STATES):
    response = client.get(
        NOTIFY,
        {
            "school": school.establishment.pk,
            "audience": audience,
            "divisions": [d.pk for d in school.divisions],
            "states": states,
        },
    )
    assert response.status_code == 200
    return [row["value"] for row in response.context["rows"]]


def post_notify(client, school, audience, pairs, **extra):
    data = {"school": school.establishment.pk, "audience": audience, "pair": pairs, **extra}
    response = client.post(NOTIFY, data)
    assert response.status_code == 302, response.content[:500]
    return NotificationJob.objects.latest("created_at"), response


def fresh(account) -> Account:
    return Account.objects.get(pk=account.pk)


@pytest.mark.django_db
def test_representatives_by_email_and_paper(client, school_a, head_a):
    verified_client(client, head_a)
    reps = school_a.rep_accounts
    pairs = selected_pairs(client, school_a, "representatives")
    assert len(pairs) == 4
    job, response = post_notify(client, school_a, "representatives", pairs, mode="both")
    assert job.status == JobStatus.DONE and job.processed == 4 and job.total == 4
    assert response["Location"] == reverse("admin:educonnect_job", args=[job.pk])

    # States, dates and modes.
    r0, r1, r2, r3 = (fresh(a) for a in reps)
    assert r0.state == r1.state == r2.state == AccountState.NOTIFIED
    assert r0.notification_mode == "both" and r1.notification_mode == "paper"
    assert r3.state == AccountState.ACTIVE and r3.notified_at is not None
    # Re-notifying an account in activation issues a new provisional password.
    assert decrypt_provisional_password(r2.provisional_password) not in (None, reps[2].clear_provisional)

    # One email per representative with an address; the password only if not activated.
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert set(by_address) == {
        "anne0@alphamark.example.org",
        "anne2@alphamark.example.org",
        "anne3@alphamark.example.org",
    }
    assert decrypt_provisional_password(r0.provisional_password) in by_address["anne0@alphamark.example.org"]
    assert r3.identifier in by_address["anne3@alphamark.example.org"]
    assert "Mot de passe" not in by_address["anne3@alphamark.example.org"].split(r3.identifier)[1][:40]

    # Summary: who could not be notified (fully) and why.
    page = client.get(reverse("admin:educonnect_job", args=[job.pk]))
    failures = {f["identifier"]: f for f in job.failures}
    assert set(failures) == {r1.identifier, r2.identifier}
    assert failures[r1.identifier]["notified"]
    assert failures[r1.identifier]["reasons"] == [gettext("no email address")]
    assert failures[r2.identifier]["reasons"] == [gettext("no postal address: letter printed without address")]
    assert r1.identifier.encode() in page.content

    # Letters: one PDF per division, passwords only for accounts not activated.
    d0, d1 = (str(d.pk) for d in school_a.divisions)
    assert set(job.paper) == {d0, d1}
    text0 = "\n".join(pdf_pages(client.get(reverse("admin:educonnect_job_letters", args=[job.pk, d0]))))
    for account in (r0, r1):
        assert account.identifier in text0
        assert decrypt_provisional_password(account.provisional_password) in text0
    assert "78-17" in text0  # the CNIL mention
    pages1 = pdf_pages(client.get(reverse("admin:educonnect_job_letters", args=[job.pk, d1])))
    assert len(pages1) == 2
    assert decrypt_provisional_password(r2.provisional_password) in pages1[0]
    assert r3.identifier in pages1[1]

    # Audit: who notified and downloaded what, never a password.
    entries = AuditLog.objects.filter(establishment=school_a.establishment)
    assert {e.action for e in entries} >= {AuditAction.NOTIFY, AuditAction.LETTERS_DOWNLOADED}
    dump = " ".join(f"{e.detail} {e.identifiers}" for e in entries)
    for account in (r0, r1, r2):
        assert decrypt_provisional_password(account.provisional_password) not in dump


@pytest.mark.django_db
def test_email_only_leaves_accounts_without_address_untouched(client, school_a, head_a):
    verified_client(client, head_a)
    pairs = selected_pairs(client, school_a, "representatives", ["not_notified", "notified"])
    job, _ = post_notify(client, school_a, "representatives", pairs, mode="email")
    r0, r1 = fresh(school_a.rep_accounts[0]), fresh(school_a.rep_accounts[1])
    assert r0.state == AccountState.NOTIFIED and r0.notification_mode == "email"
    assert r1.state == AccountState.NOTIFIED and r1.notified_at is None  # untouched
    assert [f["identifier"] for f in job.failures] == [r1.identifier] and not job.failures[0]["notified"]
    assert job.paper == {}
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("reset", [False, True])
def test_pupils_paper_with_optional_reset_of_used_accounts(client, school_a, head_a, reset):
    verified_client(client, head_a)
    used = school_a.pupil_accounts[1]
    Account.objects.filter(pk=used.pk).update(state=AccountState.ACTIVE, provisional_password="", password="x")
    pairs = selected_pairs(client, school_a, "pupils")
    assert len(pairs) == 4
    job, _ = post_notify(client, school_a, "pupils", pairs, **({"reset_active": "on"} if reset else {}))
    assert job.mode == "paper" and job.reset_active is reset
    used = fresh(used)
    assert used.state == (AccountState.NOTIFIED if reset else AccountState.ACTIVE)
    assert all(fresh(a).state != AccountState.NOT_NOTIFIED for a in school_a.pupil_accounts)
    text = "\n".join(
        pdf_pages(client.get(reverse("admin:educonnect_job_letters", args=[job.pk, str(school_a.divisions[0].pk)])))
    )
    assert used.identifier in text
    if reset:
        assert decrypt_provisional_password(used.provisional_password) in text
    else:
        assert used.provisional_password == ""  # a reminder: no password exists to print
    assert not mail.outbox


@pytest.mark.django_db
def test_forged_pairs_of_another_school_are_ignored(client, school_a, school_b, head_a):
    verified_client(client, head_a)
    pair_b = f"{school_b.rep_accounts[0].pk}:{school_b.pupils[0].pk}"
    mixed = f"{school_b.rep_accounts[0].pk}:{school_a.pupils[0].pk}"
    response = client.post(
        NOTIFY,
        {"school": school_a.establishment.pk, "audience": "representatives", "mode": "paper", "pair": [pair_b, mixed]},
    )
    assert response.status_code == 302 and not NotificationJob.objects.exists()
    assert fresh(school_b.rep_accounts[0]).state == AccountState.NOT_NOTIFIED


@pytest.mark.django_db(transaction=True)
def test_database_backend_runs_the_job_in_a_worker(client, school_a, head_a, settings):
    settings.CAS_EDUCONNECT_TASK_BACKEND = "database"
    verified_client(client, head_a)
    pairs = selected_pairs(client, school_a, "pupils")
    job, _ = post_notify(client, school_a, "pupils", pairs)
    assert job.status == JobStatus.PENDING and job.task_id
    progress = client.get(reverse("admin:educonnect_job_progress", args=[job.pk])).json()
    assert progress == {"status": "pending", "processed": 0, "total": 4, "percent": 0}
    page = client.get(reverse("admin:educonnect_job", args=[job.pk]))
    assert b'http-equiv="refresh"' in page.content
    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "database", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.processed == 4
    assert client.get(reverse("admin:educonnect_job_progress", args=[job.pk])).json()["percent"] == 100


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("audience", "extra"), [("representatives", {"mode": "paper"}), ("pupils", {"reset_active": "on"})]
)
def test_a_reminder_keeps_the_provisional_password_of_notified_accounts(client, school_a, head_a, audience, extra):
    """004 §3.1 point 6: the letters of the first notification still work after a reminder
    (even when the pupils' option resets the passwords of accounts in use: those only)."""
    verified_client(client, head_a)
    notified = school_a.rep_accounts[1] if audience == "representatives" else school_a.pupil_accounts[1]
    pairs = selected_pairs(client, school_a, audience, ["notified"])
    job, _ = post_notify(client, school_a, audience, pairs, **extra)
    assert job.status == JobStatus.DONE
    account = fresh(notified)
    assert account.state == AccountState.NOTIFIED and account.notified_at is not None
    assert decrypt_provisional_password(account.provisional_password) == notified.clear_provisional
    text = "\n".join(
        pdf_pages(client.get(reverse("admin:educonnect_job_letters", args=[job.pk, str(school_a.divisions[0].pk)])))
    )
    assert notified.clear_provisional in text

"""Refusals recorded by staff (002 §1.2): for himself (account unusable) or for a child
(follow-up services closed, the others kept); shown on the account page and the lists, audit-logged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from cas_educonnect.models import AccountState, Pupil, Representative, ServiceCategory
from cas_educonnect.staff.models import AuditAction, AuditLog
from tests.attributes.cas_helpers import ENT, NOTES, cas_login, register_service, set_password

from .conftest import make_staff, verified_client

CHANGELIST = "/admin/cas_educonnect/account/"


def refuse(client, account, value, refused=True):
    return client.post(
        reverse("admin:educonnect_account_refusal", args=[account.pk]),
        {"person": value, "refused": "1" if refused else "0"},
    )


def activate(account):
    account.state = AccountState.ACTIVE
    account.save()
    set_password(account)


@pytest.mark.django_db
def test_head_records_a_representative_refusal_for_himself(client, school_a, head_a, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    register_service(ENT, ServiceCategory.ENT, "ENT")
    account, rep = school_a.rep_accounts[3], school_a.reps[3]
    activate(account)
    verified_client(client, head_a)
    page = client.get(reverse("admin:cas_educonnect_account_change", args=[account.pk])).content.decode()
    assert "Accès aux téléservices" in page and "accède" in page and "refusé" not in page
    assert "ticket=" in cas_login(Client(), account.identifier)["Location"]

    response = refuse(client, account, f"representative:{rep.pk}")
    assert response.status_code == 302
    assert Representative.objects.get(pk=rep.pk).services_refused
    assert not Pupil.objects.get(pk=school_a.pupils[3].pk).services_refused
    page = client.get(reverse("admin:cas_educonnect_account_change", args=[account.pk])).content.decode()
    assert "refusé" in page
    # The account is unusable: the CAS login answers « Accès refusé », no ticket.
    assert cas_login(Client(), account.identifier).status_code == 403
    entry = AuditLog.objects.get(action=AuditAction.REFUSAL_RECORDED)
    assert entry.identifiers == [account.identifier] and entry.establishment == school_a.establishment
    assert entry.actor == head_a and "himself" in entry.detail

    # The list of accounts shows it too.
    listing = client.get(CHANGELIST, {"q": account.identifier}).content.decode()
    assert "refusé" in listing

    # Withdrawn: he logs in again, and that is in the audit log as well.
    refuse(client, account, f"representative:{rep.pk}", refused=False)
    assert not Representative.objects.get(pk=rep.pk).services_refused
    assert "ticket=" in cas_login(Client(), account.identifier)["Location"]
    assert AuditLog.objects.filter(action=AuditAction.REFUSAL_WITHDRAWN).count() == 1


@pytest.mark.django_db
def test_refusal_for_a_child_closes_only_his_follow_up_services(client, school_a, head_a, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    register_service(ENT, ServiceCategory.ENT, "ENT")
    register_service(NOTES, ServiceCategory.FOLLOW_UP, "Notes et absences")
    parent, child = school_a.rep_accounts[3], school_a.pupils[3]
    pupil_account = school_a.pupil_accounts[3]
    activate(pupil_account)
    activate(parent)
    verified_client(client, head_a)
    assert refuse(client, parent, f"pupil:{child.pk}").status_code == 302
    assert Pupil.objects.get(pk=child.pk).services_refused
    assert not Representative.objects.get(pk=school_a.reps[3].pk).services_refused

    pupil_client = Client()
    assert cas_login(pupil_client, pupil_account.identifier, service=NOTES).status_code == 403
    assert "ticket=" in pupil_client.get("/cas/login", {"service": ENT})["Location"]
    # The representative keeps his own access.
    assert "ticket=" in cas_login(Client(), parent.identifier, service=NOTES)["Location"]

    # The pupil's page and the class list say « refusé ».
    page = client.get(reverse("admin:cas_educonnect_account_change", args=[pupil_account.pk])).content.decode()
    assert "refusé" in page
    listing = client.get(
        "/admin/educonnect/lists/", {"school": school_a.establishment.pk, "division": school_a.divisions[1].pk}
    )
    rows = {r["pupil"].pk: r for r in listing.context["rows"]}
    assert rows[child.pk]["refused"] and not rows[school_a.pupils[2].pk]["refused"]
    assert "refusé" in listing.content.decode()


@pytest.mark.django_db
def test_a_delegated_agent_records_a_refusal_but_not_for_another_school(client, school_a, school_b, head_a):
    from cas_educonnect.staff.models import Delegation, Role

    agent = make_staff("agent.a", school_a.establishment, role=Role.AGENT)
    Delegation.objects.create(granted_by=head_a, agent=agent, establishment=school_a.establishment)
    verified_client(client, agent)
    assert refuse(client, school_a.pupil_accounts[0], f"pupil:{school_a.pupils[0].pk}").status_code == 302
    assert Pupil.objects.get(pk=school_a.pupils[0].pk).services_refused
    assert AuditLog.objects.get(action=AuditAction.REFUSAL_RECORDED).actor == agent

    # Another school's account is not found; a person who is not on this account is refused.
    assert refuse(client, school_b.pupil_accounts[0], f"pupil:{school_b.pupils[0].pk}").status_code == 404
    assert refuse(client, school_a.pupil_accounts[0], f"pupil:{school_b.pupils[0].pk}").status_code == 404
    assert refuse(client, school_a.rep_accounts[0], f"representative:{school_b.reps[0].pk}").status_code == 404
    assert not Pupil.objects.get(pk=school_b.pupils[0].pk).services_refused
    assert not Representative.objects.get(pk=school_b.reps[0].pk).services_refused
    assert (
        client.get(reverse("admin:educonnect_account_refusal", args=[school_a.pupil_accounts[0].pk])).status_code == 405
    )


@pytest.mark.django_db
def test_a_representative_who_refused_is_not_notified_again(client, school_a, head_a):
    from .test_notification import post_notify, selected_pairs

    verified_client(client, head_a)
    account, rep = school_a.rep_accounts[0], school_a.reps[0]
    refuse(client, account, f"representative:{rep.pk}")
    pairs = selected_pairs(client, school_a, "representatives", ["not_notified"])
    job, _ = post_notify(client, school_a, "representatives", pairs, mode="paper")
    account.refresh_from_db()
    assert account.state == AccountState.NOT_NOTIFIED and account.notified_at is None
    failures = {f["identifier"]: f for f in job.failures}
    assert not failures[account.identifier]["notified"]
    assert failures[account.identifier]["reasons"] == [
        gettext("the representative refused the online services for himself")
    ]

"""Heads grant and revoke delegations (audit-logged); settings and services of a school."""

from __future__ import annotations

import pytest
from cas_server.models import ServicePattern
from django.urls import reverse

from cas_educonnect.models import ServiceCategory, ServiceProfile
from cas_educonnect.staff.models import AuditAction, AuditLog, Delegation, Role, SchoolServiceSetting, SchoolSettings
from cas_educonnect.staff.services import open_services

from .conftest import make_staff, verified_client


@pytest.mark.django_db
def test_head_grants_then_revokes_a_delegation(client, school_a, school_b, head_a):
    agent = make_staff("agent.a", school_a.establishment, role=Role.AGENT)
    outsider = make_staff("agent.b", school_b.establishment, role=Role.AGENT)
    verified_client(client, head_a)
    add = reverse("admin:educonnect_staff_delegation_add")
    # Neither an agent of another school nor another school can be chosen.
    client.post(add, {"agent": outsider.pk, "establishment": school_a.establishment.pk, "starts_on": "2026-01-01"})
    client.post(add, {"agent": agent.pk, "establishment": school_b.establishment.pk, "starts_on": "2026-01-01"})
    assert not Delegation.objects.exists()
    # Nor himself: a delegation gives rights to someone else.
    self_grant = client.post(
        add, {"agent": head_a.pk, "establishment": school_a.establishment.pk, "starts_on": "2026-01-01"}
    )
    assert "Vous ne pouvez pas vous déléguer vos propres droits." in self_grant.content.decode()
    assert not Delegation.objects.exists()
    response = client.post(
        add,
        {
            "agent": agent.pk,
            "establishment": school_a.establishment.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2027-07-14",
        },
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.granted_by == head_a and delegation.is_active
    assert AuditLog.objects.filter(action=AuditAction.DELEGATION_GRANTED, detail__startswith="agent.a").exists()

    agent_client = client.__class__()
    verified_client(agent_client, agent)
    assert agent_client.get(reverse("admin:cas_educonnect_account_changelist")).status_code == 200
    # An agent manages accounts, not settings, delegations nor the audit log.
    assert agent_client.get(reverse("admin:educonnect_staff_delegation_changelist")).status_code == 403

    client.post(
        reverse("admin:educonnect_staff_delegation_changelist"),
        {"action": "revoke", "_selected_action": [delegation.pk]},
    )
    delegation.refresh_from_db()
    assert delegation.revoked_at and delegation.revoked_by == head_a
    assert AuditLog.objects.filter(action=AuditAction.DELEGATION_REVOKED).exists()
    assert agent_client.get(reverse("admin:cas_educonnect_account_changelist")).status_code == 302


@pytest.mark.django_db
def test_school_settings_limits_and_services(client, school_a, head_a):
    verified_client(client, head_a)
    add = reverse("admin:educonnect_staff_schoolsettings_add")
    data = {"establishment": school_a.establishment.pk, "welcome_message": "x" * 2001, "letter_type": "teleservices"}
    assert client.post(add, data).status_code == 200 and not SchoolSettings.objects.exists()
    data.update(welcome_message="Bienvenue", letter_type="ent_only")
    assert client.post(add, data).status_code == 200  # ENT only needs an ENT link
    data.update(ent_url="https://ent.example/")
    assert client.post(add, data).status_code == 302
    assert SchoolSettings.objects.get().welcome_message == "Bienvenue"

    notes = ServicePattern.objects.create(name="Notes", pattern="^https://notes\\.example/", pos=1)
    fiche = ServicePattern.objects.create(name="Fiche", pattern="^https://fiche\\.example/", pos=2)
    ServiceProfile.objects.create(service_pattern=fiche, mandatory=True)
    school = school_a.establishment
    assert open_services(school) == [fiche]
    url = reverse("admin:educonnect_services")
    client.post(url, {"school": school.pk, "service": notes.pk, "open": "1"})
    assert open_services(school) == [fiche]  # not before the head activates the online services (004 §2.1)
    client.post(url, {"school": school.pk, "activate": "1"})
    client.post(url, {"school": school.pk, "service": notes.pk, "open": "1"})
    assert open_services(school) == [notes, fiche]
    client.post(url, {"school": school.pk, "service": fiche.pk, "open": "0"})  # mandatory: refused
    assert open_services(school) == [notes, fiche]
    client.post(url, {"school": school.pk, "service": notes.pk, "open": "0"})
    assert open_services(school) == [fiche]
    assert AuditLog.objects.filter(action=AuditAction.SERVICE_CHANGED).count() == 2

    # The ENT is open everywhere and not on the page (seed 004 §2.1): closing it is refused.
    ent = ServicePattern.objects.create(name="ENT du collège", pattern="^https://ent\\.example/", pos=3)
    ServiceProfile.objects.create(service_pattern=ent, category=ServiceCategory.ENT)
    assert "ENT du collège" not in client.get(url, {"school": school.pk}).content.decode()
    client.post(url, {"school": school.pk, "service": ent.pk, "open": "0"})
    assert ent in open_services(school)
    assert not SchoolServiceSetting.objects.filter(service_pattern=ent).exists()


@pytest.mark.django_db
def test_letter_texts_preview_and_reset_keep_the_cnil_mention(client, school_a, head_a):
    from .helpers import pdf_pages

    verified_client(client, head_a)
    settings = SchoolSettings.objects.create(
        establishment=school_a.establishment,
        letter_body_pupil="Bonjour [Élève], identifiant [Identifiant], mot de passe [Mot de passe].",
    )
    preview = reverse("admin:educonnect_letter_preview")
    text = pdf_pages(client.get(preview, {"school": school_a.establishment.pk, "kind": "pupil"}))[0]
    assert "Bonjour Léa EXEMPLE, identifiant camille.exemple, mot de passe ab12cd34." in text
    assert "78-17" in text  # the CNIL mention cannot be removed by a custom body
    client.post(
        reverse("admin:educonnect_staff_schoolsettings_changelist"),
        {"action": "reset_letters", "_selected_action": [settings.pk]},
    )
    settings.refresh_from_db()
    assert settings.letter_body_pupil == ""
    text = pdf_pages(client.get(preview, {"school": school_a.establishment.pk, "kind": "continuity"}))[0]
    assert "camille.exemple" in text and "ab12cd34" not in text

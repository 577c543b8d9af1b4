"""A head chooses the rights of each delegation in its form: all by default (the whole module, 004 §1.3)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cas_educonnect.staff.models import AuditAction, AuditLog, Delegation, Role

from .conftest import make_staff, verified_client

RIGHTS = ("may_change_settings", "may_change_services", "may_change_letters")


@pytest.mark.django_db
def test_the_form_offers_every_right_checked_and_records_the_choice(client, school_a, head_a):
    agent = make_staff("agent.a", school_a.establishment, role=Role.AGENT)
    verified_client(client, head_a)
    add = reverse("admin:educonnect_staff_delegation_add")
    form = client.get(add).content.decode()
    for name in RIGHTS:
        assert re.search(rf"<input[^>]*name=\"{name}\"[^>]*checked", form), name
    data = {"agent": agent.pk, "establishment": school_a.establishment.pk, "starts_on": "2026-01-01"}
    assert client.post(add, {**data, "may_change_services": "on"}).status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.may_change_settings, delegation.may_change_services, delegation.may_change_letters) == (
        False,
        True,
        False,
    )
    entry = AuditLog.objects.get(action=AuditAction.DELEGATION_GRANTED)
    assert entry.detail.endswith("rights: services")

"""The legacy route's admin: an academy operator sets a sunset day; school staff cannot."""

from __future__ import annotations

import datetime

import pytest

from cas_educonnect.routes.legacy.models import LegacySunset
from tests.staff.conftest import make_staff, verified_client


@pytest.mark.django_db
def test_operator_sets_a_sunset_and_school_staff_is_refused(client, establishment_factory):
    operator = make_staff("operateur-legacy", superuser=True)
    verified_client(client, operator)
    response = client.post(
        "/admin/educonnect_legacy/legacysunset/add/", {"category": "representative", "closes_on": "2026-11-01"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert LegacySunset.objects.get().closes_on == datetime.date(2026, 11, 1)
    assert client.get("/admin/educonnect_legacy/legacyprofile/").status_code == 200

    head = make_staff("chef-legacy", school=establishment_factory())
    client.logout()
    verified_client(client, head)
    assert client.get("/admin/educonnect_legacy/legacysunset/").status_code == 403
    assert (
        client.post(
            "/admin/educonnect_legacy/legacysunset/add/", {"category": "pupil", "closes_on": "2020-01-01"}
        ).status_code
        == 403
    )
    assert LegacySunset.objects.count() == 1

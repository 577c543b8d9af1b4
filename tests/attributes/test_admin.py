"""Service categories are editable in the Django admin."""

from __future__ import annotations

import pytest
from cas_server.models import ServicePattern

from cas_educonnect.models import ServiceCategory


@pytest.fixture
def operator(client, db, settings):
    """An academy operator (superuser) verified by his TOTP device on the staff admin site."""
    from tests.staff.conftest import make_staff, verified_client

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return verified_client(client, make_staff("operateur.test", superuser=True))


def test_operator_sets_a_category_on_a_new_service(operator):
    url = "/admin/cas_server/servicepattern/add/"
    page = operator.get(url)
    assert page.status_code == 200 and "educonnect-0-category" in page.content.decode()
    data = {
        "pos": 100,
        "name": "Notes",
        "pattern": "^https://notes\\.example\\.org/",
        "user_field": "",
        "single_log_out_callback": "",
        "proxy_callback": "",
        "educonnect-TOTAL_FORMS": 1,
        "educonnect-INITIAL_FORMS": 0,
        "educonnect-MIN_NUM_FORMS": 0,
        "educonnect-MAX_NUM_FORMS": 1,
        "educonnect-0-category": ServiceCategory.FOLLOW_UP,
        "educonnect-0-url": "https://notes.example.org/",
        "educonnect-0-audience": "both",  # the form posts its default
    }
    for prefix in ("usernames", "attributs", "replacements", "filters"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": 0,
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    response = operator.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    pattern = ServicePattern.objects.get(name="Notes")
    assert pattern.educonnect.category == ServiceCategory.FOLLOW_UP
    listing = operator.get("/admin/cas_server/servicepattern/").content.decode()
    assert f'<td class="field-category">{pattern.educonnect.get_category_display()}</td>' in listing


def test_head_of_school_cannot_edit_services(client, establishment_factory, db, settings):
    from tests.staff.conftest import make_staff, verified_client

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    head = verified_client(client, make_staff("principal.test", school=establishment_factory()))
    assert head.get("/admin/cas_server/servicepattern/add/").status_code == 403

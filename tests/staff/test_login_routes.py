"""Statistics of login routes: each flow passes its route, one row per SSO session opened."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from cas_educonnect.login.flow import LoginRoute
from cas_educonnect.models import Account, AccountState, ServiceCategory
from cas_educonnect.staff.models import RouteLogin
from tests.attributes.cas_helpers import ENT, PASSWORD, cas_login, register_service, ticket_of

from .conftest import verified_client
from .helpers import workbook


@pytest.fixture
def active_accounts(school_a, school_b, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    register_service(ENT, ServiceCategory.ENT, "ENT du collège")
    accounts = (school_a.pupil_accounts[1], school_b.pupil_accounts[1])
    for account in accounts:
        Account.objects.filter(pk=account.pk).update(state=AccountState.ACTIVE, password=make_password(PASSWORD))
    return accounts


@pytest.mark.django_db
def test_cas_form_login_records_one_password_row_and_not_at_ticket_issuance(client, active_accounts):
    identifier = active_accounts[0].identifier
    ticket_of(cas_login(client, identifier))
    ticket_of(client.get("/cas/login", {"service": ENT}))  # second ticket, same SSO session
    assert list(RouteLogin.objects.values_list("username", "route")) == [(identifier, LoginRoute.PASSWORD)]


@pytest.mark.django_db
def test_wrong_password_records_nothing(client, active_accounts):
    response = cas_login(client, active_accounts[0].identifier, password="not-the-password")
    assert response.status_code == 200
    assert not RouteLogin.objects.exists()


@pytest.mark.django_db
def test_statistics_show_the_school_routes_per_month_on_page_and_excel(client, school_a, head_a, active_accounts):
    ticket_of(cas_login(client, active_accounts[0].identifier))
    client.get("/cas/logout")
    ticket_of(cas_login(client, active_accounts[1].identifier))  # school B: not counted for A
    client.get("/cas/logout")
    RouteLogin.objects.create(username=school_a.rep_accounts[3].identifier, route=LoginRoute.FRANCECONNECT)

    verified_client(client, head_a)
    url = reverse("admin:educonnect_stats")
    sheet = client.get(url, {"school": school_a.establishment.pk}).context["sheets"][3]
    section = sheet["sections"][0]
    month = timezone.localdate().strftime("%m/%Y")
    assert section["headers"] == [gettext("Route"), month, gettext("Total")]
    rows = {row[0]: row[1:] for row in section["rows"]}
    assert rows == {str(label): [0, 0] for value, label in LoginRoute.choices} | {
        str(LoginRoute.PASSWORD.label): [1, 1],
        str(LoginRoute.FRANCECONNECT.label): [1, 1],
    }

    book = workbook(client.get(url, {"school": school_a.establishment.pk, "format": "xlsx"}))
    values = [list(r) for r in book[sheet["name"]].iter_rows(values_only=True)]
    assert [str(LoginRoute.PASSWORD.label), 1, 1] in values

"""Pupil account lists (screen, PDF, CSV) and statistics (screen, Excel)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from cas_educonnect.models import Account, AccountState, Group
from cas_educonnect.staff.admin.pages import CARRIED_OVER_COLOUR, STATE_COLOURS
from cas_educonnect.staff.models import AuditAction, AuditLog

from .conftest import verified_client
from .helpers import csv_rows, pdf_pages, workbook


@pytest.fixture
def used_pupil(school_a):
    account = school_a.pupil_accounts[3]
    Account.objects.filter(pk=account.pk).update(state=AccountState.ACTIVE, provisional_password="", password="x")
    return account


@pytest.mark.django_db
def test_list_of_a_division_shows_password_mask_or_account_to_notify(client, school_a, head_a, used_pupil):
    verified_client(client, head_a)
    url = reverse("admin:educonnect_lists")
    query = {"school": school_a.establishment.pk, "division": school_a.divisions[1].pk}
    rows = client.get(url, query).context["rows"]
    to_notify, used = rows
    assert to_notify["identifier"] == to_notify["password"] == gettext("Account to notify")
    assert used["identifier"] == used_pupil.identifier and used["password"] == "*****"
    assert used["birth_date"] == "03/05/2011"

    query["division"] = school_a.divisions[0].pk
    notified = school_a.pupil_accounts[1]
    csv = csv_rows(client.get(url, {**query, "format": "csv"}))
    assert csv[0][:3] == [gettext("Last name"), gettext("First name"), gettext("Division")]
    assert csv[2][6:8] == [notified.identifier, notified.clear_provisional]
    text = pdf_pages(client.get(url, {**query, "format": "pdf"}))[0]
    assert notified.identifier in text and notified.clear_provisional in text and "02/05/2011" in text
    assert AuditLog.objects.filter(action=AuditAction.LIST_EXPORTED).count() == 2


@pytest.mark.django_db
def test_list_of_a_group(client, school_a, head_a):
    verified_client(client, head_a)
    group = Group.objects.create(establishment=school_a.establishment, code="LATIN")
    group.pupils.set([school_a.pupils[1], school_a.pupils[3]])
    rows = client.get(reverse("admin:educonnect_lists"), {"school": school_a.establishment.pk, "group": group.pk})
    assert [r["pupil"] for r in rows.context["rows"]] == [school_a.pupils[1], school_a.pupils[3]]


@pytest.mark.django_db
def test_lists_sort_names_in_french_order(client, school_a, head_a):
    """« Étienne » sorts with the E's: before « Meyer », not after « Zola » as code points would."""
    verified_client(client, head_a)
    group = Group.objects.create(establishment=school_a.establishment, code="ORDRE")
    names = ["Meyer", "Étienne", "zola", "Durand"]
    pupils = school_a.pupils[: len(names)]
    for pupil, name in zip(pupils, names, strict=True):
        pupil.last_name = name
        pupil.save(update_fields=["last_name"])
    group.pupils.set(pupils)
    rows = client.get(reverse("admin:educonnect_lists"), {"school": school_a.establishment.pk, "group": group.pk})
    assert [r["pupil"].last_name for r in rows.context["rows"]] == ["Durand", "Étienne", "Meyer", "zola"]


@pytest.mark.django_db
def test_statistics_and_excel_export(client, school_a, head_a, used_pupil):
    verified_client(client, head_a)
    url = reverse("admin:educonnect_stats")
    sheets = client.get(url, {"school": school_a.establishment.pk}).context["sheets"]
    pupils, reps, _accesses, _routes = sheets
    assert pupils["sections"][0]["rows"] == [["Collège Alpha", 4, 2, 1, 1, 25.0]]
    # 4 representative accounts: 1 not notified, 2 notified or activating (none this year: never
    # notified in the fixture), 1 in use; 1 pupil of 4 has one in use.
    assert reps["sections"][0]["rows"] == [["Collège Alpha", 4, 1, 2, 0, 1, 25.0, 25.0]]
    mef = pupils["sections"][1]
    assert mef["title"] == "3EME"
    assert [row[0] for row in mef["rows"]] == [str(d) for d in school_a.divisions] + [gettext("Total")]
    assert mef["rows"][1] == [str(school_a.divisions[1]), 2, 1, 0, 1, 50.0]

    book = workbook(client.get(url, {"school": school_a.establishment.pk, "format": "xlsx"}))
    assert book.sheetnames == [
        gettext("Pupil accounts"),
        gettext("Representative accounts"),
        gettext("Accesses to services"),
        gettext("Login routes"),
    ]
    values = [list(r) for r in book[gettext("Pupil accounts")].iter_rows(values_only=True)]
    assert ["Collège Alpha", 4, 2, 1, 1, 25] in values
    assert [str(school_a.divisions[1]), 2, 1, 0, 1, 50] in values
    assert AuditLog.objects.filter(action=AuditAction.STATS_EXPORTED).exists()


@pytest.mark.django_db
def test_accesses_per_service_and_month_count_tickets_of_the_school(client, school_a, school_b, head_a, settings):
    from django.contrib.auth.hashers import make_password

    from cas_educonnect.models import ServiceCategory
    from tests.attributes.cas_helpers import ENT, PASSWORD, cas_login, register_service, ticket_of

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CAS_EDUCONNECT_COUNT_ACCESSES = True
    register_service(ENT, ServiceCategory.ENT, "ENT du collège")
    for account in (school_a.pupil_accounts[1], school_b.pupil_accounts[1]):
        Account.objects.filter(pk=account.pk).update(state=AccountState.ACTIVE, password=make_password(PASSWORD))
    ticket_of(cas_login(client, school_a.pupil_accounts[1].identifier))
    ticket_of(client.get("/cas/login", {"service": ENT}))  # second access, same SSO session
    client.get("/cas/logout")
    ticket_of(cas_login(client, school_b.pupil_accounts[1].identifier))
    client.get("/cas/logout")

    verified_client(client, head_a)
    sheets = client.get(reverse("admin:educonnect_stats"), {"school": school_a.establishment.pk}).context["sheets"]
    section = sheets[2]["sections"][0]
    assert section["rows"] == [["ENT du collège", 2, 2]]
    assert len(section["headers"]) == 3  # service, this month, total


def test_state_dots_follow_the_legend():
    """Red (#ce0500) marks carried-over accounts in the lists: never the dot of a state."""
    assert CARRIED_OVER_COLOUR not in STATE_COLOURS.values()
    assert len(set(STATE_COLOURS.values())) == len(STATE_COLOURS), "one colour per state"

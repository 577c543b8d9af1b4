"""Columns of the staff lists and exports (seed 004 §3.2, §4.2, §4.3, §1.2.4)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from cas_educonnect.models import Account, AccountState, Group, Mef, NotificationMode, Representative

from .conftest import verified_client
from .helpers import csv_rows, pdf_pages


@pytest.fixture
def dated(school_a):
    """Pupil 1 notified by paper on 2026-09-02 (MEF 4EME), pupil 0 in use, last used 2026-10-05."""
    notified, used = school_a.pupil_accounts[1], school_a.pupil_accounts[0]
    at = timezone.make_aware(datetime.datetime(2026, 9, 2, 10))
    Account.objects.filter(pk=notified.pk).update(notified_at=at, notification_mode=NotificationMode.PAPER)
    Account.objects.filter(pk=used.pk).update(
        state=AccountState.ACTIVE,
        provisional_password="",
        notified_at=at,
        notification_mode=NotificationMode.PAPER,
        last_used_at=timezone.make_aware(datetime.datetime(2026, 10, 5, 8)),
    )
    pupil = school_a.pupils[1]
    pupil.mef = Mef.objects.create(code="4EME", label="4EME GENERALE")
    pupil.save(update_fields=["mef"])
    group = Group.objects.create(establishment=school_a.establishment, code="LATIN")
    group.pupils.set([school_a.pupils[0], school_a.pupils[1]])
    return group


@pytest.mark.django_db
def test_pupil_list_and_exports_give_mef_groups_notification_and_last_access(client, school_a, head_a, dated):
    verified_client(client, head_a)
    url = reverse("admin:educonnect_lists")
    query = {"school": school_a.establishment.pk, "group": dated.pk}
    used, notified = client.get(url, query).context["rows"]
    assert (notified["mef"], notified["groups"], notified["division"]) == ("4EME GENERALE", "LATIN", "3AAlp")
    assert (notified["notified_at"], notified["notification_mode"]) == ("02/09/2026", gettext("Paper letter"))
    assert (used["last_used_at"], used["mef"]) == ("05/10/2026", "3EME")

    header, first, second = csv_rows(client.get(url, {**query, "format": "csv"}))
    assert header == [
        gettext(h)
        for h in (
            "Last name",
            "First name",
            "Division",
            "Groups",
            "Birth date",
            "MEF",
            "Identifier",
            "Provisional password",
            "Account state",
            "Notified at",
            "Mode",
            "Last use",
        )
    ]
    assert first[3:6] == ["LATIN", "02/05/2011", "3EME"] and first[9:] == [
        "02/09/2026",
        gettext("Paper letter"),
        "05/10/2026",
    ]
    assert second[5] == "4EME GENERALE"
    text = pdf_pages(client.get(url, {**query, "format": "pdf"}))[0]
    assert "LATIN" in text and "4EME GENERALE" in text and "05/10/2026" in text and "02/09/2026" in text


@pytest.mark.django_db
def test_account_list_gives_birth_date_mef_and_notification_mode(client, school_a, head_a, dated):
    """A grouped parent account (two representative records) shows both children."""
    verified_client(client, head_a)
    grouped = school_a.rep_accounts[0]
    grouped.representatives.add(Representative.objects.get(jointure=school_a.reps[1].jointure))
    response = client.get(reverse("admin:cas_educonnect_account_changelist"), {"q": grouped.identifier})
    html = response.content.decode()
    body = html[html.index("<tbody>", html.index('id="result_list"')) :]
    row = body[body.index(grouped.identifier) :].split("</tr>")[0]
    assert "02/05/2011" in row and "03/05/2011" in row  # both children's birth dates
    assert str(school_a.pupils[1]) in row and "4EME GENERALE" in row
    changelist = client.get(reverse("admin:cas_educonnect_account_changelist")).content.decode()
    assert gettext("Paper letter") in changelist


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_pupils(client, school_a, head_a, dated, pupil_factory, account_factory):
    """MEF, groups and accounts come prefetched: a longer class costs no more queries."""
    verified_client(client, head_a)
    url = reverse("admin:educonnect_lists")
    query = {"school": school_a.establishment.pk, "group": dated.pk}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url, query)
        return len(captured)

    before = queries()
    for _n in range(3):
        pupil = pupil_factory(
            establishment=school_a.establishment, division=school_a.divisions[0], mef=Mef.objects.first()
        )
        account_factory(pupils=[pupil])
        dated.pupils.add(pupil)
    assert queries() == before

"""A parent with a child in school A and one in school B: A's staff sees only the child of A,
on every page that shows persons (issue 13, finding 9)."""

from __future__ import annotations

import pytest
from cas_server.models import ReplaceAttributName, ServicePattern
from django.urls import reverse

from cas_educonnect.models import AccountKind, AccountReport, AccountState, Mef, RepresentativeLink, ServiceProfile
from cas_educonnect.staff.models import SchoolServiceSetting

from .conftest import verified_client
from .helpers import body, csv_rows, pdf_pages

#: What of school B must never reach A's staff: the child's name, his class, the school.
FOREIGN = ("bravomark", "lycée bravo", "3abra")


@pytest.fixture
def shared_parent(school_a, school_b):
    """The (in use) account of the parent of pupil 3 of A, who is also the parent of pupil 0 of B."""
    account = school_a.rep_accounts[3]
    assert account.state == AccountState.ACTIVE
    RepresentativeLink.objects.create(
        representative=school_a.reps[3], pupil=school_b.pupils[0], link_code="10", legal=1
    )
    AccountReport.objects.create(
        account=account, pupil=school_b.pupils[0], kind=AccountReport.Kind.NOT_LEGAL_REPRESENTATIVE
    )
    service = ServicePattern.objects.create(name="ENT", pattern="^https://ent\\.example/", pos=1)
    ServiceProfile.objects.create(service_pattern=service, url="https://ent.example/", mandatory=True)
    for name in ("FrEduVecteur", "ENTPersonJointure", "sn"):
        ReplaceAttributName.objects.create(service_pattern=service, name=name)
    for school in (school_a, school_b):
        SchoolServiceSetting.objects.create(establishment=school.establishment, service_pattern=service, is_open=True)
    return account


def assert_only_school_a(text: str, where: str, school_a, school_b) -> None:
    lowered = text.lower()
    for foreign in (*FOREIGN, school_b.establishment.uai.lower(), school_b.pupils[0].jointure.lower()):
        assert foreign not in lowered, f"{where} shows {foreign!r} of school B"
    assert "alphamark" in lowered, f"{where} shows nothing of school A (the test would prove nothing)"


@pytest.mark.django_db
def test_account_list_and_page_show_only_the_child_of_school_a(client, school_a, school_b, head_a, shared_parent):
    verified_client(client, head_a)
    changelist = client.get(reverse("admin:cas_educonnect_account_changelist"), {"q": shared_parent.identifier})
    assert_only_school_a(changelist.content.decode(), "account list", school_a, school_b)
    page = client.get(reverse("admin:cas_educonnect_account_change", args=[shared_parent.pk]))
    assert page.status_code == 200
    assert_only_school_a(page.content.decode(), "account page", school_a, school_b)


@pytest.mark.django_db
def test_a_search_by_the_name_of_a_child_of_school_b_finds_nothing(client, school_a, school_b, head_a, shared_parent):
    verified_client(client, head_a)
    response = client.get(reverse("admin:cas_educonnect_account_changelist"), {"q": school_b.pupils[0].last_name})
    assert shared_parent.identifier not in response.content.decode()


@pytest.mark.django_db
def test_simulation_shows_only_school_a(client, school_a, school_b, head_a, shared_parent):
    verified_client(client, head_a)
    response = client.get(reverse("admin:educonnect_account_simulate", args=[shared_parent.pk]))
    assert response.status_code == 200
    assert_only_school_a(response.content.decode(), "simulation", school_a, school_b)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["letter", "renotify"])
def test_letters_are_those_of_school_a(client, school_a, school_b, head_a, shared_parent, kind):
    verified_client(client, head_a)
    # The school B pupil is linked first: a letter must still be A's and about A's child.
    if kind == "renotify":
        client.post(reverse("admin:educonnect_account_renotify", args=[shared_parent.pk]), {"mode": "paper"})
    response = client.get(reverse("admin:educonnect_account_letter", args=[shared_parent.pk]))
    assert_only_school_a("\n".join(pdf_pages(response)), f"{kind} letter", school_a, school_b)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["", "csv", "pdf"])
def test_lists_and_exports_of_school_a(client, school_a, school_b, head_a, shared_parent, fmt):
    verified_client(client, head_a)
    params = {"school": school_a.establishment.pk, "division": school_a.divisions[1].pk, "format": fmt}
    response = client.get(reverse("admin:educonnect_lists"), params)
    if fmt == "csv":
        text = "\n".join(";".join(row) for row in csv_rows(response))
    elif fmt == "pdf":
        text = "\n".join(pdf_pages(response))
    else:
        text = body(response).decode()
    assert_only_school_a(text, f"list {fmt or 'page'}", school_a, school_b)


@pytest.mark.django_db
def test_the_operator_still_sees_both_children(client, school_a, school_b, shared_parent):
    from .conftest import make_staff

    verified_client(client, make_staff("operator", superuser=True))
    page = client.get(reverse("admin:cas_educonnect_account_change", args=[shared_parent.pk])).content.decode()
    assert "Alphamark" in page and "Bravomark" in page
    assert shared_parent.kind == AccountKind.REPRESENTATIVE


@pytest.mark.django_db
@pytest.mark.parametrize("parameter", ["division", "mef"])
def test_filtering_by_a_class_of_school_b_tells_nothing(client, school_a, school_b, head_a, shared_parent, parameter):
    """Typing school B's division (or MEF) id in the URL must not reveal which accounts have a child there."""
    verified_client(client, head_a)
    if parameter == "mef":  # a MEF only school B teaches, so the filter has something of B to tell
        school_b.pupils[0].mef = Mef.objects.create(code="LIVE-B-ONLY", label="Seconde B")
        school_b.pupils[0].save(update_fields=["mef"])
    foreign = getattr(school_b.pupils[0], f"{parameter}_id")
    assert foreign is not None and foreign != getattr(school_a.pupils[3], f"{parameter}_id")
    response = client.get(reverse("admin:cas_educonnect_account_changelist"), {parameter: foreign})
    assert shared_parent.identifier not in response.content.decode()

"""Letters as the guide prints them (004 §2.8.1) with the refusal slip (000 §5, 002 §1.2),
and the « Mixte » letter type (004 §2.8)."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from pypdf import PdfReader

from cas_educonnect.models import AccountState, ServiceCategory
from cas_educonnect.staff.letters import Letter, LetterModel, render_letters
from cas_educonnect.staff.models import LetterType, SchoolSettings
from tests.attributes.cas_helpers import ENT, PASSWORD, cas_login, register_service, ticket_of

from .conftest import verified_client
from .helpers import pdf_pages

PORTAL = "http://testserver/cas/login"


def flat(text: str) -> str:
    """PDF text with line breaks and repeated spaces folded (lines wrap anywhere)."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def letter_school(school_a, head_a, settings):
    settings.CAS_EDUCONNECT_ACADEMY_NAME = "Rennes"
    school = school_a.establishment
    school.phone, school.email = "02 97 00 00 00", "ce.0561641e@ac-rennes.fr"
    school.save()
    head_a.first_name, head_a.last_name = "Émile", "Durand"
    head_a.save()
    return school_a


@pytest.mark.django_db
def test_representative_letter_as_the_guide_prints_it_with_the_refusal_slip(client, letter_school, head_a):
    verified_client(client, head_a)
    account, rep = letter_school.rep_accounts[1], letter_school.reps[1]
    pages = pdf_pages(client.get(reverse("admin:educonnect_account_letter", args=[account.pk])))
    assert len(pages) == 1  # letter and slip fit on the page
    text = flat(pages[0])
    assert "Académie de Rennes" in text
    assert re.search(r"Vannes, le \d\d/\d\d/\d{4}", text)
    assert "Tél. : 02 97 00 00 00" in text and "ce.0561641e@ac-rennes.fr" in text
    assert "contactez l'établissement (02 97 00 00 00 – ce.0561641e@ac-rennes.fr)" in text
    assert "les élèves ont également un compte personnel" in text
    assert "Salutations distinguées." in text
    assert "Le chef d'établissement Émile Durand" in text
    assert "PS : vous disposez d'un délai de 3 mois" in text
    assert account.clear_provisional in text
    # The slip: cut line, title, the representative and pupil named, both refusals to tick.
    slip = text.split("Coupon-réponse")[1]
    assert f"Mme {rep.last_name} Anne" in slip and letter_school.pupils[1].last_name in slip
    assert "pour moi-même" in slip and "pour mon enfant" in slip and "Date et signature" in slip
    assert "78-17" in text.split("Coupon-réponse")[1]  # the CNIL mention still ends the page


@pytest.mark.django_db
def test_school_sets_the_signatory_and_the_slip_text(client, letter_school, head_a):
    SchoolSettings.objects.create(
        establishment=letter_school.establishment,
        signatory="M. E. Durand",
        letter_slip="Coupon à rendre au secrétariat\n[ ] Je refuse pour [Élève]\nSigné : [Responsable]",
    )
    verified_client(client, head_a)
    text = flat(
        pdf_pages(client.get(reverse("admin:educonnect_account_letter", args=[letter_school.rep_accounts[1].pk])))[0]
    )
    assert "Le chef d'établissement M. E. Durand" in text
    assert "Coupon à rendre au secrétariat" in text and "Coupon-réponse" not in text
    assert f"Signé : Mme {letter_school.reps[1].last_name} Anne" in text


@pytest.mark.django_db
def test_pupil_letter_closes_with_encouragement_and_has_no_slip(client, letter_school, head_a):
    verified_client(client, head_a)
    account = letter_school.pupil_accounts[1]
    text = flat(pdf_pages(client.get(reverse("admin:educonnect_account_letter", args=[account.pk])))[0])
    assert "Avec mes encouragements." in text and "Le chef d'établissement Émile Durand" in text
    assert "Académie de Rennes" in text and account.clear_provisional in text
    assert "Coupon-réponse" not in text and "Salutations" not in text


@pytest.mark.django_db
def test_a_long_custom_body_puts_the_slip_on_a_page_of_its_own(letter_school):
    SchoolSettings.objects.create(
        establishment=letter_school.establishment, letter_body_representative="Ligne du corps.\n" * 60
    )
    letter = Letter("representative", ["Mme X"], "Léa X", "3A", "anne.x", "ab12cd34", holder="Mme X Anne")
    out = io.BytesIO()
    render_letters(letter_school.establishment, [letter], out, PORTAL)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(out.getvalue())).pages]
    assert len(pages) == 2 and "Coupon-réponse" not in pages[0] and "Coupon-réponse" in pages[1]


@pytest.mark.django_db
def test_extra_fields_of_a_letter_fill_the_school_texts(letter_school):
    """A feature adds its own ``[Field]`` to the letters through ``Letter.extra``."""
    SchoolSettings.objects.create(
        establishment=letter_school.establishment, letter_body_pupil="Votre code : [Code activation]"
    )
    model = LetterModel(letter_school.establishment, PORTAL)
    letter = Letter("pupil", ["Léa X"], "Léa X", "3A", "lea.x", "ab12cd34", extra={"Code activation": "CAE-1234"})
    assert model.body(letter).startswith("Votre code : CAE-1234\n\nLe chef d'établissement")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("letter_type", "letter_address", "ent_on_portal"),
    [
        (LetterType.TELESERVICES, PORTAL, False),
        (LetterType.MIXED, PORTAL, True),
        (LetterType.ENT_ONLY, "https://ent.college.example.org/", True),
    ],
)
def test_letter_type_decides_the_letter_address_and_the_ent_link_on_the_portal(
    client, letter_school, settings, letter_type, letter_address, ent_on_portal
):
    settings.CAS_LOGGED_TEMPLATE = "cas_educonnect/staff/portal_logged.html"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ent = "https://ent.college.example.org/"
    SchoolSettings.objects.create(establishment=letter_school.establishment, letter_type=letter_type, ent_url=ent)
    model = LetterModel(letter_school.establishment, PORTAL)
    assert model.address == letter_address
    account = letter_school.pupil_accounts[1]
    account.state, account.password = AccountState.ACTIVE, make_password(PASSWORD)
    account.save()
    register_service(ENT, ServiceCategory.ENT, "ENT")
    ticket_of(cas_login(client, account.identifier))
    page = client.get("/cas/login").content.decode()
    assert (f'href="{ent}"' in page) is ent_on_portal

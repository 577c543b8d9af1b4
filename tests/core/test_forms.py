"""The shared form pieces (``cas_educonnect.core.forms``) and that every route uses them."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from cas_server.models import User
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cas_educonnect.core.forms import BirthDateField, NewPasswordForm, parse_birth_date, password_min_length
from cas_educonnect.routes.franceconnect.views import IDENTITY_KEY
from cas_educonnect.routes.sms.backends import locmem

PACKAGE = Path(__file__).resolve().parents[2] / "cas_educonnect"
TODAY = datetime.date(2026, 11, 23)


# --- birth date ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    ["12/04/2013", "12042013", "12-04-2013", "12.04.2013", "2013-04-12", "  12/04/2013 ", "12 04 2013", "12/4/2013",
     "12/04/13", "120413", "12 / 04 / 2013"],
)  # fmt: skip
def test_birth_date_accepts_what_people_type(typed):
    assert parse_birth_date(typed, today=TODAY) == datetime.date(2013, 4, 12)
    assert BirthDateField().clean(typed) == datetime.date(2013, 4, 12)


def test_two_digit_year_is_never_in_the_future():
    assert parse_birth_date("14/03/75", today=TODAY) == datetime.date(1975, 3, 14)
    assert parse_birth_date("14/03/26", today=TODAY) == datetime.date(2026, 3, 14)
    assert parse_birth_date("24/11/26", today=TODAY) == datetime.date(1926, 11, 24)


@pytest.mark.parametrize(
    "typed",
    ["31/02/2013", "12/13/2013", "00/04/2013", "2013-02-30", "12/04/1850", "12/04", "abc", "12/04/201", "1204201"],
)
def test_birth_date_refuses_impossible_dates(typed):
    assert parse_birth_date(typed, today=TODAY) is None
    with pytest.raises(Exception) as raised:
        BirthDateField().clean(typed)
    assert raised.value.messages == ["Saisissez une date comme 14/03/2012."]


def test_birth_date_refuses_the_future():
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(Exception) as raised:
        BirthDateField().clean(tomorrow.strftime("%d/%m/%Y"))
    assert raised.value.messages == ["Une date de naissance ne peut pas être dans le futur."]


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY))
def test_every_real_date_reads_back_in_every_spelling(day):
    for spelling in ("%d/%m/%Y", "%d%m%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", " %d/%m/%Y "):
        assert parse_birth_date(day.strftime(spelling), today=TODAY) == day


# --- new password -------------------------------------------------------------------------
def password_errors(password: str, confirmation: str | None = None) -> list[str]:
    form = NewPasswordForm({"new_password1": password, "new_password2": confirmation or password})
    return [] if form.is_valid() else [m for messages in form.errors.values() for m in messages]


def test_configured_minimum_length_is_enforced_and_shown(settings):
    settings.CAS_EDUCONNECT_ATEN_PASSWORD_MIN_LENGTH = 12
    assert password_min_length() == 12
    assert password_errors("Tilleul-2026") == []  # 12 characters
    assert any("12" in message for message in password_errors("Tilleul-202"))
    assert NewPasswordForm().fields["new_password1"].help_text == "12 caractères au minimum."
    settings.CAS_EDUCONNECT_PASSWORD_MIN_LENGTH = 10  # the route-neutral name wins
    assert password_min_length() == 10 and password_errors("Tilleul-20") == []
    assert NewPasswordForm().fields["new_password1"].help_text == "10 caractères au minimum."


def test_django_validators_apply_and_the_two_must_match(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"}]
    assert password_errors("password123") == ["Ce mot de passe est trop courant."]
    assert password_errors("Tilleul-2026", "Tilleul-2027") == ["Les deux mots de passe ne correspondent pas."]


@pytest.mark.parametrize(
    "path",
    [
        "cas_educonnect.routes.aten.forms.SetPasswordForm",
        "cas_educonnect.routes.aten.forms.ActivationForm",
        "cas_educonnect.routes.sms.forms.PasswordForm",
        "cas_educonnect.routes.legacy.forms.ChoosePasswordForm",
    ],
)
def test_every_route_chooses_passwords_with_the_shared_form(path):
    from django.utils.module_loading import import_string

    assert issubclass(import_string(path), NewPasswordForm)


# --- FranceConnect first link: the birth dates as typed -----------------------------------
@pytest.fixture
def linking(client, settings, establishment_factory, pupil_factory, representative_factory):
    settings.CAS_EDUCONNECT_SMS_BACKEND = "cas_educonnect.routes.sms.backends.locmem.SmsBackend"
    locmem.outbox.clear()
    child = pupil_factory(
        establishment=establishment_factory(name="Collège Jean Moulin"),
        first_name="Léo",
        last_name="Dubois",
        birth_date=datetime.date(2013, 4, 12),
    )
    representative_factory(children=[child], last_name="Dubois", first_name="Angela", mobile="+33612345678")
    session = client.session
    session[IDENTITY_KEY] = {"sub": "fc-sub-1", "given_name": "Angela", "family_name": "Dubois", "birthdate": ""}
    session.save()
    url = reverse("cas_server:educonnect_franceconnect:link")
    client.post(url, {"mobile": "06 12 34 56 78"})
    code = re.search(r"\b(\d{6})\b", locmem.outbox[0].body).group(1)
    assert 'data-step="dates"' in client.post(url, {"code": code}).content.decode()
    yield url, child
    locmem.outbox.clear()


def test_franceconnect_first_link_accepts_a_typed_french_date(client, linking):
    from cas_educonnect.routes.franceconnect.models import FranceConnectLink

    url, child = linking
    response = client.post(url, {f"birth_date_{child.pk}": "12/04/2013"})
    assert response.status_code == 302, response.content.decode()
    assert FranceConnectLink.objects.get().sub == "fc-sub-1" and User.objects.count() == 1


def test_franceconnect_first_link_explains_a_malformed_date_without_spending_an_attempt(client, linking):
    url, child = linking
    for _ in range(3):
        page = client.post(url, {f"birth_date_{child.pk}": "31/02/2013"})
        assert page.status_code == 400 and "Saisissez une date comme 14/03/2012." in page.content.decode()
    assert client.post(url, {f"birth_date_{child.pk}": "12.04.2013"}).status_code == 302


# --- one rendering, one parser, one password form -----------------------------------------
INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
ALLOWED_INPUT = re.compile(r"""type=["'](hidden|submit|button)["']""", re.IGNORECASE)


def test_our_forms_render_through_the_field_template_set():
    html = str(NewPasswordForm())
    assert html.count('class="fr-input-group"') == 2 and html.count('class="fr-input"') == 2
    assert '<span class="fr-hint-text">8 caractères au minimum.</span>' in html


def test_no_public_template_writes_its_own_field_input():
    """Visible fields render through cas_educonnect/forms/_field.html, never page by page."""
    templates = PACKAGE / "templates" / "cas_educonnect"
    offending = [
        f"{path.relative_to(templates)}: {tag}"
        for path in templates.rglob("*.html")
        if "admin" not in path.relative_to(templates).parts
        for tag in INPUT.findall(path.read_text())
        if not ALLOWED_INPUT.search(tag)
    ]
    assert offending == []


def test_birth_dates_and_passwords_are_defined_only_in_core():
    """No module outside core/ parses dates or validates passwords on its own."""
    patterns = re.compile(
        r"forms\.DateField\(|input_formats|DATE_(INPUT_)?FORMATS|fromisoformat\(.*(POST|request)|"
        r"password_validation|MinimumLengthValidator|PASSWORD_MIN_LENGTH|len\(.*password.*\)\s*<|password[12]\s*=\s*forms\."
    )
    offending = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] not in ("core", "conf.py") and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if patterns.search(line)
    ]
    assert offending == []

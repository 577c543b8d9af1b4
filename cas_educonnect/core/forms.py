"""Form pieces every route shares: DSFR rendering, the birth-date field, the new password.

Each route used to write its own, with different rules: one typed ``12/04/2013`` was a
valid date on one route and a wrong birth date on another, the minimum password length
was a setting here and 8 there. Routes now build their forms from these.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from cas_educonnect.conf import settings
from cas_educonnect.core.french import ELIDED, before_name

FORM_TEMPLATE = "cas_educonnect/forms/_form.html"


class DsfrForm(forms.Form):
    """A form whose ``{{ form }}`` renders through ``cas_educonnect/forms/`` with the
    project's template engine, so a project overriding those templates restyles every page."""

    def render(self, template_name: str | None = None, context: dict | None = None, renderer: Any = None) -> SafeString:
        if template_name is None and renderer is None:
            return render_to_string(FORM_TEMPLATE, {"form": self, **(context or {})})
        return super().render(template_name, context, renderer)

    __str__ = __html__ = render  # Django binds these to its own render


# --- birth date ---------------------------------------------------------------------------
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DIGITS = re.compile(r"(\d{2})(\d{2})(\d{4}|\d{2})")
OLDEST_YEAR = 1900


def parse_birth_date(text: str, today: datetime.date | None = None) -> datetime.date | None:
    """The date a French person means by ``text`` (day first), or None.

    Accepts 12/04/2013, 12-04-2013, 12.04.2013, 12 04 2013, 12042013, 12/04/13 and the ISO
    2013-04-12 that date pickers send. A two-digit year is the latest one not in the future.
    """
    text = text.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_MONTH_YEAR.fullmatch(text) or _DIGITS.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            today = today or timezone.localdate()
            year += 2000 if (year + 2000, month, day) <= (today.year, today.month, today.day) else 1900
    else:
        return None
    if year < OLDEST_YEAR:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


class BirthDateField(forms.DateField):
    """A birth date as typed or picked; never in the future."""

    widget = forms.DateInput(attrs={"type": "date", "autocomplete": "off"}, format="%Y-%m-%d")
    default_error_messages = {
        "invalid": _("Enter a date such as 14/03/2012."),
        "future": _("A date of birth cannot be in the future."),
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        parsed = parse_birth_date(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed

    def validate(self, value: datetime.date | None) -> None:
        super().validate(value)
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(self.error_messages["future"], code="future")


class BirthDatesForm(DsfrForm):
    """One birth-date field per pupil, named ``field_name`` (``{pk}`` filled in)."""

    field_name = "pupil_{pk}"

    def __init__(self, *args: Any, pupils: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pupils = list(pupils)
        for pupil in self.pupils:
            self.fields[self.field_name.format(pk=pupil.pk)] = BirthDateField(label=self.label(pupil))

    def label(self, pupil: Any) -> str:
        name = f"{pupil.first_name} {pupil.last_name}".strip()
        message = before_name(name, _("Birth date of %(name)s"), pgettext(ELIDED, "Birth date of %(name)s"))
        return message % {"name": name}

    def answers(self) -> dict[Any, datetime.date | None]:
        """Pupil pk -> the date given (call after ``is_valid``)."""
        return {p.pk: self.cleaned_data.get(self.field_name.format(pk=p.pk)) for p in self.pupils}

    def all_match(self) -> bool:
        answers = self.answers()
        return all(p.birth_date is not None and answers[p.pk] == p.birth_date for p in self.pupils)


# --- new password -------------------------------------------------------------------------
def password_min_length() -> int:
    """``CAS_EDUCONNECT_PASSWORD_MIN_LENGTH``, else the older ``..._ATEN_PASSWORD_MIN_LENGTH``."""
    length = settings.CAS_EDUCONNECT_PASSWORD_MIN_LENGTH
    return settings.CAS_EDUCONNECT_ATEN_PASSWORD_MIN_LENGTH if length is None else length


def validate_new_password(password: str, user: Any = None) -> None:
    """Django's AUTH_PASSWORD_VALIDATORS plus our minimum length; raises ValidationError."""
    validators = [
        *password_validation.get_default_password_validators(),
        password_validation.MinimumLengthValidator(password_min_length()),
    ]
    password_validation.validate_password(password, user=user, password_validators=validators)


class NewPasswordForm(DsfrForm):
    """A chosen password typed twice, checked by :func:`validate_new_password`.

    ``account`` (if any) feeds the similarity validator through its ``user``.
    """

    account: Any = None
    labels: tuple[str, str] | None = None  # (password, confirmation) when a page words them its way

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password (confirmation)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, account: Any = None, **kwargs: Any) -> None:
        if account is not None:
            self.account = account
        super().__init__(*args, **kwargs)
        if self.labels:
            self.fields["new_password1"].label, self.fields["new_password2"].label = self.labels
        length = password_min_length()
        self.fields["new_password1"].help_text = ngettext(
            "At least %(count)d character.", "At least %(count)d characters.", length
        ) % {"count": length}

    def clean_new_password2(self) -> str:
        first, second = self.cleaned_data.get("new_password1"), self.cleaned_data.get("new_password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords do not match."), code="password_mismatch")
        if second:
            validate_new_password(second, getattr(self.account, "user", None))
        return second

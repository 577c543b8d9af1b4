"""Forms of the "Je n'ai pas d'identifiant" registration."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from cas_educonnect.core import forms as core_forms
from cas_educonnect.core.french import ELIDED, before_name
from cas_educonnect.routes.sms.phone import MobileNumberField


class StartForm(core_forms.DsfrForm):
    last_name = forms.CharField(label=_("Last name"), max_length=255)
    first_name = forms.CharField(label=_("First name"), max_length=255)
    mobile = MobileNumberField(
        label=_("Mobile phone number"),
        help_text=_("The mobile number you gave to your child's school, e.g. 06 12 34 56 78."),
    )


class CodeForm(core_forms.DsfrForm):
    code = forms.CharField(
        label=_("Code received by text message"),
        max_length=12,
        help_text=_("6 digits."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class BirthDatesForm(core_forms.BirthDatesForm):
    """One date field per child, named ``pupil_<id>``, labelled with the child's school."""

    def label(self, pupil: Any) -> str:
        name = pupil.first_name or pupil.last_name
        message = before_name(
            name, _("Birth date of %(name)s (%(school)s)"), pgettext(ELIDED, "Birth date of %(name)s (%(school)s)")
        )
        return message % {
            "name": name,
            "school": pupil.establishment.name,
        }


class PasswordForm(core_forms.NewPasswordForm):
    """The password of the new account."""

    labels = (_("Choose a password"), _("Confirm the password"))

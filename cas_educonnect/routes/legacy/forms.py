"""Forms of the switch pages, built from the shared pieces of ``cas_educonnect.core.forms``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cas_educonnect.core.forms import BirthDatesForm, DsfrForm, NewPasswordForm


class LegacyCredentialsForm(DsfrForm):
    username = forms.CharField(
        label=_("Identifier"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    service = forms.CharField(required=False, widget=forms.HiddenInput)


class SwitchBirthDatesForm(BirthDatesForm):
    """One birth date per pupil to confirm (the pupil himself, or each child of a parent)."""


class ChoosePasswordForm(NewPasswordForm):
    """The password of the Éducation nationale account the switch creates."""

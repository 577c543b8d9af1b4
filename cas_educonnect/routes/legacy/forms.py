"""Forms of the switch pages (French labels through translation)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models import Pupil

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MIN_PASSWORD_LENGTH = 8


class LegacyCredentialsForm(forms.Form):
    username = forms.CharField(label=_("Identifier"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    service = forms.CharField(required=False, widget=forms.HiddenInput)


class BirthDatesForm(forms.Form):
    """One birth date per pupil to confirm (the pupil himself, or each child of a parent)."""

    def __init__(self, *args, pupils: list[Pupil], **kwargs):
        super().__init__(*args, **kwargs)
        self.pupils = pupils
        for pupil in pupils:
            self.fields[f"pupil_{pupil.pk}"] = forms.DateField(
                label=_("Birth date of %(name)s") % {"name": f"{pupil.first_name} {pupil.last_name}".strip()},
                input_formats=DATE_FORMATS,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": _("Enter a valid date (dd/mm/yyyy).")},
            )

    def all_match(self) -> bool:
        return all(self.cleaned_data.get(f"pupil_{p.pk}") == p.birth_date for p in self.pupils)


class ChoosePasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text=_("At least 8 characters."),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        if first:
            if len(first) < MIN_PASSWORD_LENGTH:
                self.add_error("password1", _("The password must contain at least 8 characters."))
            else:
                try:
                    password_validation.validate_password(first)
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        return data

"""Forms of the "Je n'ai pas d'identifiant" registration."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models import Pupil
from cas_educonnect.routes.sms.phone import MobileNumberField

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d%m%Y"]


class StartForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=255)
    first_name = forms.CharField(label=_("First name"), max_length=255)
    mobile = MobileNumberField(
        label=_("Mobile phone number"),
        help_text=_("The mobile number you gave to your child's school, e.g. 06 12 34 56 78."),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code received by text message"),
        max_length=12,
        help_text=_("6 digits."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class BirthDatesForm(forms.Form):
    """One date field per child, named ``pupil_<id>``."""

    def __init__(self, *args, pupils: list[Pupil], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pupils = pupils
        for pupil in pupils:
            self.fields[f"pupil_{pupil.pk}"] = forms.DateField(
                label=_("Birth date of %(name)s (%(school)s)")
                % {"name": pupil.first_name or pupil.last_name, "school": pupil.establishment.name},
                input_formats=DATE_FORMATS,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    def answers(self) -> dict[int, object]:
        return {pupil.pk: self.cleaned_data.get(f"pupil_{pupil.pk}") for pupil in self.pupils}


class PasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters."),
    )
    password2 = forms.CharField(
        label=_("Confirm the password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords differ."), code="password_mismatch")
        if first:
            if len(first) < 8:
                self.add_error("password1", _("The password must have at least 8 characters."))
            else:
                try:
                    password_validation.validate_password(first)
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        return data

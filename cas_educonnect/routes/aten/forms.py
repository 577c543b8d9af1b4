"""Forms of the ATEN pages (DSFR rendering through django-dsfr's ``DsfrBaseForm``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from cas_educonnect.conf import settings
from cas_educonnect.models import Account, Pupil

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]


def birth_date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 14/03/2012.")},
    )


def validate_new_password(password: str, account: Account | None) -> None:
    """Django's AUTH_PASSWORD_VALIDATORS plus our minimum length; raises ValidationError."""
    validators = [
        *password_validation.get_default_password_validators(),
        password_validation.MinimumLengthValidator(settings.CAS_EDUCONNECT_ATEN_PASSWORD_MIN_LENGTH),
    ]
    user = getattr(account, "user", None) if account is not None else None
    password_validation.validate_password(password, user=user, password_validators=validators)


class NewPasswordMixin(forms.Form):
    """Two password fields checked against each other and the validators."""

    account: Account | None = None

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters."),
    )
    new_password2 = forms.CharField(
        label=_("New password (confirmation)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_new_password2(self) -> str:
        first, second = self.cleaned_data.get("new_password1"), self.cleaned_data.get("new_password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords do not match."), code="password_mismatch")
        if second:
            validate_new_password(second, self.account)
        return second


class EmailPairMixin(forms.Form):
    """An email address typed twice."""

    email_required = True

    email = forms.EmailField(label=_("Email address"), required=False, widget=forms.EmailInput())
    email2 = forms.EmailField(label=_("Email address (confirmation)"), required=False, widget=forms.EmailInput())

    def clean_email2(self) -> str:
        first = (self.cleaned_data.get("email") or "").strip()
        second = (self.cleaned_data.get("email2") or "").strip()
        if self.email_required and not first and "email" not in self.errors:
            self.add_error("email", _("An email address is required."))
        if first.lower() != second.lower() and "email" not in self.errors:
            raise forms.ValidationError(_("The two email addresses do not match."), code="email_mismatch")
        return second


class ActivationForm(DsfrBaseForm, NewPasswordMixin, EmailPairMixin):
    """First login: birth date(s), new password, email (mandatory for representatives).

    Birth dates are checked by the view (which counts failures), not here, so a wrong date
    never hides password errors and is never checked while throttled.
    """

    field_order = ["new_password1", "new_password2", "email", "email2"]

    def __init__(self, *args: Any, account: Account, children: list[Pupil], pupil_self: bool, **kwargs: Any):
        self.account = account
        self.email_required = not pupil_self
        super().__init__(*args, **kwargs)
        self.children = children
        self.birth_fields: list[tuple[str, Pupil]] = []
        fields = {}
        for pupil in children:
            name = f"birth_date_{pupil.pk}"
            if pupil_self:
                label = _("Your date of birth")
            else:
                label = _("Date of birth of %(name)s") % {"name": f"{pupil.first_name} {pupil.last_name}".strip()}
            fields[name] = birth_date_field(label)
            self.birth_fields.append((name, pupil))
        self.fields = {**fields, **self.fields}
        self.fields["email"].required = self.email_required
        self.fields["email2"].required = self.email_required
        self.fields["email"].error_messages["required"] = _("An email address is required.")
        if not self.email_required:
            self.fields["email"].help_text = _(
                "Optional. Once validated by the link we send, it lets you recover a lost identifier or password."
            )
        for name in fields:  # added after DsfrBaseForm.__init__ styled the others
            dsfr_input_class_attr(self[name])

    def wrong_birth_dates(self) -> list[str]:
        """Names of birth-date fields that do not match the directory (call after is_valid)."""
        wrong = []
        for name, pupil in self.birth_fields:
            value = self.cleaned_data.get(name)
            if value is None or pupil.birth_date is None or value != pupil.birth_date:
                wrong.append(name)
        return wrong


class SetPasswordForm(DsfrBaseForm, NewPasswordMixin):
    """A new password, typed twice (reset link)."""

    def __init__(self, *args: Any, account: Account, **kwargs: Any):
        self.account = account
        super().__init__(*args, **kwargs)


class ChangePasswordForm(SetPasswordForm):
    """A new password, once the current one is given (account page)."""

    field_order = ["old_password", "new_password1", "new_password2"]

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_old_password(self) -> str:
        from django.contrib.auth.hashers import check_password

        old = self.cleaned_data.get("old_password", "")
        if not self.account or not self.account.password or not check_password(old, self.account.password):
            raise forms.ValidationError(_("Your current password is not correct."), code="password_incorrect")
        return old


class ChangeEmailForm(DsfrBaseForm, EmailPairMixin):
    """A new address, confirmed by a link sent to it."""

    email_required = True

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = self.fields["email2"].required = True
        self.fields["email"].label = _("New email address")
        self.fields["email2"].label = _("New email address (confirmation)")


class LostIdentifierForm(DsfrBaseForm):
    email = forms.EmailField(label=_("Email address of your account"))


class LostPasswordForm(DsfrBaseForm):
    identifier = forms.CharField(label=_("Identifier"), max_length=150, help_text=_("For example: jean.dupont"))


class GroupingForm(DsfrBaseForm):
    identifier = forms.CharField(label=_("Identifier of the other account"), max_length=150)
    password = forms.CharField(
        label=_("Password of the other account"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Its chosen password, or the provisional password of its letter if it was never used."),
    )

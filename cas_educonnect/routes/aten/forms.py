"""Forms of the ATEN pages, built from the shared pieces of ``cas_educonnect.core.forms``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.hashers import check_password
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from cas_educonnect.core.forms import BirthDateField, DsfrForm, NewPasswordForm
from cas_educonnect.core.french import ELIDED, before_name
from cas_educonnect.models import Account, Pupil


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


class ActivationForm(NewPasswordForm, EmailPairMixin):
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
                full_name = f"{pupil.first_name} {pupil.last_name}".strip()
                label = before_name(
                    full_name, _("Date of birth of %(name)s"), pgettext(ELIDED, "Date of birth of %(name)s")
                ) % {"name": full_name}
            fields[name] = BirthDateField(label=label)
            self.birth_fields.append((name, pupil))
        self.fields = {**fields, **self.fields}
        self.fields["email"].required = self.email_required
        self.fields["email2"].required = self.email_required
        self.fields["email"].error_messages["required"] = _("An email address is required.")
        if not self.email_required:
            self.fields["email"].help_text = _(
                "Optional. Once validated by the link we send, it lets you recover a lost identifier or password."
            )

    def wrong_birth_dates(self) -> list[str]:
        """Names of birth-date fields that do not match the directory (call after is_valid)."""
        wrong = []
        for name, pupil in self.birth_fields:
            value = self.cleaned_data.get(name)
            if value is None or pupil.birth_date is None or value != pupil.birth_date:
                wrong.append(name)
        return wrong


class SetPasswordForm(NewPasswordForm):
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

        old = self.cleaned_data.get("old_password", "")
        if not self.account or not self.account.password or not check_password(old, self.account.password):
            raise forms.ValidationError(_("Your current password is not correct."), code="password_incorrect")
        return old


class ChangeEmailForm(DsfrForm, EmailPairMixin):
    """A new address, confirmed by a link sent to it."""

    email_required = True

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = self.fields["email2"].required = True
        self.fields["email"].label = _("New email address")
        self.fields["email2"].label = _("New email address (confirmation)")


class LostIdentifierForm(DsfrForm):
    email = forms.EmailField(label=_("Email address of your account"))


class LostPasswordForm(DsfrForm):
    identifier = forms.CharField(label=_("Identifier"), max_length=150, help_text=_("For example: jean.dupont"))


class GroupingForm(DsfrForm):
    identifier = forms.CharField(label=_("Identifier of the other account"), max_length=150)
    password = forms.CharField(
        label=_("Password of the other account"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Its chosen password, or the provisional password of its letter if it was never used."),
    )


class ActivationCodeForm(DsfrForm):
    """An ATEN activation code (CAR or CAE, from the letter) and the pupil's birth date.

    The date is compared by the view (which counts failures), never here.
    """

    code = forms.CharField(
        label=_("Activation code"),
        max_length=40,
        help_text=_("As printed on the letter from the school, for example ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    birth_date = BirthDateField(
        label=_("Date of birth of the pupil"),
        help_text=_("Parents: your child's date of birth. Pupils: your own."),
    )

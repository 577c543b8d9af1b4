"""Template helpers of our DSFR pages (``{% load cas_educonnect %}``)."""

from __future__ import annotations

from django import forms, template
from django.forms import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cas_educonnect.accounts.codes import codes_enabled
from cas_educonnect.conf import settings
from cas_educonnect.core.forms import DsfrForm
from cas_educonnect.login.legal import legal_information

register = template.Library()


@register.simple_tag
def educonnect_site_name() -> str:
    """The service name shown in the header and page titles (``CAS_EDUCONNECT_SITE_NAME``)."""
    return settings.CAS_EDUCONNECT_SITE_NAME


@register.simple_tag
def educonnect_legal() -> dict:
    """The facts of the footer and legal pages (``CAS_EDUCONNECT_LEGAL_INFORMATION``)."""
    return legal_information()


@register.simple_tag
def educonnect_activation_codes() -> bool:
    """Whether ATEN activation codes are distributed (``CAS_EDUCONNECT_ATEN_ACTIVATION_CODES``)."""
    return codes_enabled()


class LogoutForm(DsfrForm):
    """The "log me out everywhere" choice of the logged-in page (GET to the host's logout)."""

    all = forms.BooleanField(label=_("Log me out from all my sessions"), required=False)


@register.simple_tag
def logout_form() -> LogoutForm:
    return LogoutForm(auto_id="logout-%s")


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_select(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.Select)


@register.filter
def dsfr_widget(field: BoundField) -> SafeString:
    """Render a field's widget with DSFR classes, whatever classes the host's form set.

    The host's forms add Bootstrap's ``form-control``; the attributes given here replace it,
    and an invalid field points at its error text for screen readers.
    """
    widget = field.field.widget
    attrs: dict[str, str] = {}
    if isinstance(widget, forms.Select):
        attrs["class"] = "fr-select"
    elif not isinstance(widget, forms.CheckboxInput | forms.HiddenInput):
        attrs["class"] = "fr-input"
    if field.form.is_bound and field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}-desc-error"
    return field.as_widget(attrs=attrs)

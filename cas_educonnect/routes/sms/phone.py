"""Mobile numbers: which ones can receive a code, and how they appear in logs and rows.

Numbers are never stored in clear by this app: rows keep an HMAC (to count per number)
and a masked form (for people reading statistics).
"""

from __future__ import annotations

import phonenumbers
from django import forms
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber, to_python

from cas_educonnect.conf import settings

MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def is_accepted_mobile(number: PhoneNumber | phonenumbers.PhoneNumber) -> bool:
    """A valid mobile number of metropolitan France or of an allowed overseas region."""
    if not phonenumbers.is_valid_number(number):
        return False
    region = phonenumbers.region_code_for_number(number)
    return region in settings.CAS_EDUCONNECT_SMS_ALLOWED_REGIONS and phonenumbers.number_type(number) in MOBILE_TYPES


def parse_mobile(value: str) -> PhoneNumber | None:
    """``value`` as an accepted mobile number, or None."""
    number = to_python(value, region="FR")
    if not isinstance(number, PhoneNumber) or not number.is_valid() or not is_accepted_mobile(number):
        return None
    return number


def hash_number(e164: str) -> str:
    """Keyed hash of an E.164 number: counts per number without storing it."""
    return salted_hmac("cas_educonnect.routes.sms.number", e164, algorithm="sha256").hexdigest()


def mask_number(e164: str) -> str:
    """``+33612345678`` -> ``+336******78``: enough to recognise one's own number."""
    e164 = str(e164 or "")
    if len(e164) < 7:
        return "*" * len(e164)
    return e164[:4] + "*" * (len(e164) - 6) + e164[-2:]


class MobileNumberField(PhoneNumberField):
    """Phone number form field (region FR) that refuses landlines and foreign numbers."""

    default_validators: list = []  # validity is checked in validate(), with our own message
    default_error_messages = {
        "not_mobile": _(
            "This number is not a mobile phone number: give the mobile number (06, 07 or an overseas "
            "mobile) that you gave to your child's school."
        ),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("region", "FR")
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("Enter a valid mobile phone number, for example 06 12 34 56 78.")

    def validate(self, value) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        if not isinstance(value, PhoneNumber) or not value.is_valid():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not is_accepted_mobile(value):
            raise forms.ValidationError(self.error_messages["not_mobile"], code="not_mobile")

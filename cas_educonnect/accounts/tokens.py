"""Link tokens derived from the account, never stored (like PasswordResetTokenGenerator).

A token is ``<timestamp b36>-<hmac>``, the HMAC (``salted_hmac`` with a key_salt per
purpose, SECRET_KEY then SECRET_KEY_FALLBACKS) covering the timestamp and account fields
that change when the link is used, so a used link dies:

- :data:`email_token` hashes ``email``, ``email_validated``, ``pending_email`` and ``state``:
  validating the address (or confirming a change) flips them.
- :data:`password_reset_token` hashes ``password`` (the chosen password's hash) and
  ``state``: setting a new password, by the link or otherwise, kills every pending link.
"""

from __future__ import annotations

import copy
import time

from django.conf import settings as django_settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, int_to_base36, urlsafe_base64_decode, urlsafe_base64_encode

from cas_educonnect.conf import settings
from cas_educonnect.models import Account, AccountState


class AccountTokenGenerator:
    """Derive and check link tokens for one purpose; subclasses name the hashed fields."""

    key_salt: str = ""
    validity_setting: str = ""
    algorithm = "sha256"

    def _now(self) -> int:
        """Seconds since the epoch; a hook for tests."""
        return int(time.time())

    def validity(self) -> int:
        return int(getattr(settings, self.validity_setting))

    def state_of(self, account: Account) -> str:
        raise NotImplementedError

    def _make(self, account: Account, timestamp: int, secret: str) -> str:
        value = f"{account.pk}|{self.state_of(account)}|{timestamp}"
        digest = salted_hmac(self.key_salt, value, secret=secret, algorithm=self.algorithm).hexdigest()[::2]
        return f"{int_to_base36(timestamp)}-{digest}"

    def make_token(self, account: Account) -> str:
        return self._make(account, self._now(), django_settings.SECRET_KEY)

    def signed_at(self, account: Account | None, token: str | None) -> int | None:
        """The timestamp of ``token`` if it was made for ``account`` in its current state, else None."""
        if account is None or not token or "-" not in token:
            return None
        ts_b36 = token.split("-", 1)[0]
        try:
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return None
        for secret in [django_settings.SECRET_KEY, *django_settings.SECRET_KEY_FALLBACKS]:
            if constant_time_compare(self._make(account, timestamp, secret), token):
                return timestamp
        return None

    def check_token(self, account: Account | None, token: str | None) -> bool:
        """Whether ``token`` is a live token of ``account`` for this purpose."""
        timestamp = self.signed_at(account, token)
        return timestamp is not None and 0 <= self._now() - timestamp <= self.validity()


class EmailTokenGenerator(AccountTokenGenerator):
    """Email validation (activation) and email change confirmation links."""

    key_salt = "cas_educonnect.accounts.tokens.EmailTokenGenerator"
    validity_setting = "CAS_EDUCONNECT_ATEN_EMAIL_LINK_VALIDITY"

    def state_of(self, account: Account) -> str:
        return f"{account.email}|{int(account.email_validated)}|{account.pending_email}|{account.state}"

    def confirmed(self, account: Account | None, token: str | None) -> bool:
        """Whether ``token`` is the link that already validated the account's current address.

        A link opened again (a second device, a mail scanner) after its use: the token was
        made before the validation, while that address was pending (activation: no address
        yet; a new validation of the same address). The link of an address *change* is not
        recognised (the former address is not kept) and stays « invalide ».
        """
        if account is None or account.pending_email or not account.email_validated or not account.email_validated_at:
            return False
        before = copy.copy(account)
        before.pending_email = account.email
        for email in ("", account.email):
            for validated in (False, True):
                for state in (AccountState.ACTIVATING, AccountState.NOTIFIED, AccountState.ACTIVE):
                    before.email, before.email_validated, before.state = email, validated, state
                    timestamp = self.signed_at(before, token)
                    if timestamp is not None:
                        return timestamp <= account.email_validated_at.timestamp()
        return False


class PasswordResetTokenGenerator(AccountTokenGenerator):
    """Lost-password links: one week, dead once the password changes."""

    key_salt = "cas_educonnect.accounts.tokens.PasswordResetTokenGenerator"
    validity_setting = "CAS_EDUCONNECT_ATEN_PASSWORD_RESET_VALIDITY"

    def state_of(self, account: Account) -> str:
        return f"{account.password}|{account.state}"


email_token = EmailTokenGenerator()
password_reset_token = PasswordResetTokenGenerator()


def encode_pk(account: Account) -> str:
    return urlsafe_base64_encode(force_bytes(account.pk))


def decode_account(uidb64: str) -> Account | None:
    """The account a link's ``uidb64`` names, or None (malformed or unknown)."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return Account.objects.filter(pk=pk).first()

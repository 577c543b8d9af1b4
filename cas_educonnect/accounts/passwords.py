"""Provisional passwords: generated with a CSPRNG, stored encrypted, compared in constant time.

They are not hashed: the school prints them again (lists, re-sent letters) until the account
is activated, and hashing 1 M of them with Argon2 at import would take hours. They are
wiped at activation, when the chosen password (Django hashers, Argon2 first) replaces them.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import string

from cryptography.fernet import InvalidToken, MultiFernet
from django.conf import settings as django_settings
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes

from cas_educonnect.conf import settings
from cas_educonnect.core.crypto import multi_fernet

ALPHABET = string.digits + string.ascii_lowercase
KEY_PURPOSE = "accounts.provisional-password"


def _pre_hkdf_keys() -> list[bytes]:
    """Decrypt-only: the keys tokens were encrypted with before :func:`.core.crypto.derive_keys`.

    Those tokens sit in the database until the account is activated or the password
    re-issued (letters already printed), so they keep decrypting.
    """
    secrets_ = [django_settings.SECRET_KEY, *django_settings.SECRET_KEY_FALLBACKS]
    return [
        base64.urlsafe_b64encode(hashlib.sha256(b"cas_educonnect.provisional:" + force_bytes(s)).digest())
        for s in secrets_
    ]


def _fernet() -> MultiFernet:
    """``CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS``, or keys derived from SECRET_KEY and its fallbacks."""
    keys = list(settings.CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS)
    if keys:
        return multi_fernet(KEY_PURPOSE, keys)
    return multi_fernet(KEY_PURPOSE, decrypt_only=_pre_hkdf_keys())


def generate_provisional_password(length: int | None = None) -> str:
    """A fresh provisional password: digits and lowercase letters, CSPRNG."""
    length = length or settings.CAS_EDUCONNECT_PROVISIONAL_PASSWORD_LENGTH
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def encrypt_provisional_password(password: str) -> str:
    """The Fernet token stored in ``Account.provisional_password``."""
    return _fernet().encrypt(password.encode()).decode()


def decrypt_provisional_password(token: str) -> str | None:
    """The clear provisional password, or None if there is none or the key does not match."""
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def check_provisional_password(token: str, candidate: str) -> bool:
    """Whether ``candidate`` is the provisional password encrypted in ``token``."""
    clear = decrypt_provisional_password(token)
    return clear is not None and constant_time_compare(clear, candidate)

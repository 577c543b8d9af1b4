"""Keys derived from ``SECRET_KEY``, one per purpose, that follow its rotation.

Whatever we encrypt or authenticate with a key we did not get from its own setting is keyed
through :func:`derive_keys`: HKDF-SHA256 (RFC 5869) of each secret, with the purpose as
``info``, so a key for one purpose tells nothing about another one or about ``SECRET_KEY``.
The list follows Django's rotation: ``SECRET_KEY`` first (it encrypts and signs), then one
key per ``SECRET_KEY_FALLBACKS`` entry (they still decrypt and verify), so moving the old
secret to the fallbacks keeps what it protected readable until it is dropped.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Sequence

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings as django_settings
from django.utils.encoding import force_bytes

INFO_PREFIX = b"cas_educonnect:"


@functools.lru_cache(maxsize=64)
def _derive(purpose: str, secret: bytes, length: int) -> bytes:
    # Keyed by the secret itself, so override_settings and rotations never see a stale key.
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=INFO_PREFIX + purpose.encode()).derive(secret)


def derive_keys(purpose: str, length: int = 32) -> list[bytes]:
    """``length``-byte keys for ``purpose``: from ``SECRET_KEY``, then from each fallback."""
    if not purpose:
        raise ValueError("a key derivation needs a purpose")
    secrets = [django_settings.SECRET_KEY, *django_settings.SECRET_KEY_FALLBACKS]
    return [_derive(purpose, force_bytes(secret), length) for secret in secrets]


def fernet_keys(purpose: str) -> list[bytes]:
    """:func:`derive_keys` as Fernet keys (urlsafe base64 of 32 bytes)."""
    return [base64.urlsafe_b64encode(key) for key in derive_keys(purpose, 32)]


def multi_fernet(
    purpose: str, keys: Sequence[str | bytes] = (), decrypt_only: Sequence[str | bytes] = ()
) -> MultiFernet:
    """A MultiFernet: ``keys`` if given, else the keys derived for ``purpose``; then ``decrypt_only``.

    The first key encrypts, every key decrypts (``decrypt_only`` keys come last, so they never
    encrypt).
    """
    primary = list(keys) or fernet_keys(purpose)
    return MultiFernet([Fernet(key) for key in [*primary, *decrypt_only]])

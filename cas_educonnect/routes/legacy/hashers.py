"""Django password hashers for the hashes of a legacy CAS/LDAP directory.

Imported legacy hashes are stored in Django's ``algorithm$...`` format so that the usual
``check_password()`` verifies them and, the hasher not being the preferred one, upgrades
the account to the first entry of ``PASSWORD_HASHERS`` (Argon2) at the first successful
login. Add the hashers you need to ``PASSWORD_HASHERS`` *after* the preferred one:

    "cas_educonnect.routes.legacy.hashers.LdapSshaPasswordHasher",  # {SSHA}
    "cas_educonnect.routes.legacy.hashers.LdapSsha512PasswordHasher",  # {SSHA512}
    "cas_educonnect.routes.legacy.hashers.LdapSsha256PasswordHasher",  # {SSHA256}
    "cas_educonnect.routes.legacy.hashers.LdapShaPasswordHasher",   # {SHA}
    "cas_educonnect.routes.legacy.hashers.LdapSmd5PasswordHasher",  # {SMD5}
    "cas_educonnect.routes.legacy.hashers.LdapMd5PasswordHasher",   # {MD5}
    "cas_educonnect.routes.legacy.hashers.LdapCryptPasswordHasher", # {CRYPT} bcrypt / SHA-crypt / MD5-crypt

The legacy schemes are weak (one unsalted or salted digest round): they are only accepted
for verification and never used to hash a new password.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.translation import gettext_noop as _


class UnsupportedHash(ValueError):
    """A legacy password hash in a format we cannot verify."""


class _LdapDigestHasher(BasePasswordHasher):
    """``{SCHEME}base64(digest(password + salt) + salt)`` as written by OpenLDAP's slappasswd."""

    digest: str = ""
    salted: bool = False
    scheme: str = ""

    def _split(self, encoded: str) -> tuple[bytes, bytes]:
        algorithm, _sep, payload = encoded.partition("$")
        if algorithm != self.algorithm:
            raise ValueError(f"not a {self.algorithm} hash")
        try:
            raw = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("invalid base64 payload")
        size = hashlib.new(self.digest).digest_size
        if len(raw) < size or (not self.salted and len(raw) != size):
            raise ValueError("payload has the wrong length")
        return raw[:size], raw[size:]

    def encode(self, password: str, salt: str) -> str:
        self._check_encode_args(password, salt)
        salt_bytes = salt.encode() if self.salted else b""
        digest = hashlib.new(self.digest, password.encode() + salt_bytes).digest()
        return "{}${}".format(self.algorithm, base64.b64encode(digest + salt_bytes).decode("ascii"))

    def salt(self) -> str:
        return secrets.token_hex(4) if self.salted else "x"

    def verify(self, password: str, encoded: str) -> bool:
        try:
            digest, salt = self._split(encoded)
        except ValueError:
            return False
        candidate = hashlib.new(self.digest, password.encode() + salt).digest()
        return hmac.compare_digest(candidate, digest)

    def decode(self, encoded: str) -> dict:
        digest, salt = self._split(encoded)
        return {"algorithm": self.algorithm, "hash": digest.hex(), "salt": salt.hex()}

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {_("algorithm"): decoded["algorithm"], _("hash"): mask_hash(decoded["hash"])}

    def must_update(self, encoded: str) -> bool:
        return True

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass


class LdapShaPasswordHasher(_LdapDigestHasher):
    algorithm, digest, salted, scheme = "ldap_sha", "sha1", False, "SHA"


class LdapSshaPasswordHasher(_LdapDigestHasher):
    algorithm, digest, salted, scheme = "ldap_ssha", "sha1", True, "SSHA"


class LdapMd5PasswordHasher(_LdapDigestHasher):
    algorithm, digest, salted, scheme = "ldap_md5", "md5", False, "MD5"


class LdapSmd5PasswordHasher(_LdapDigestHasher):
    algorithm, digest, salted, scheme = "ldap_smd5", "md5", True, "SMD5"


class LdapSsha256PasswordHasher(_LdapDigestHasher):
    algorithm, digest, salted, scheme = "ldap_ssha256", "sha256", True, "SSHA256"


class LdapSsha512PasswordHasher(_LdapDigestHasher):
    algorithm, digest, salted, scheme = "ldap_ssha512", "sha512", True, "SSHA512"


# crypt(3) schemes we verify: bcrypt through the bcrypt package, SHA-crypt and MD5-crypt
# through libpass (the maintained passlib fork); traditional DES crypt is refused.
_CRYPT_PREFIXES = {
    "$2a$": "bcrypt",
    "$2b$": "bcrypt",
    "$2y$": "bcrypt",
    "$6$": "sha512_crypt",
    "$5$": "sha256_crypt",
    "$1$": "md5_crypt",
}


def crypt_scheme(value: str) -> str:
    """The name of the crypt(3) scheme of ``value``; :class:`UnsupportedHash` if we can't verify it."""
    for prefix, name in _CRYPT_PREFIXES.items():
        if value.startswith(prefix):
            return name
    raise UnsupportedHash(
        "unsupported {CRYPT} scheme %r (supported: bcrypt $2a$/$2b$/$2y$, SHA-crypt $5$/$6$, MD5-crypt $1$)"
        % (value[:4] or value)
    )


def _crypt_verify(password: str, value: str) -> bool:
    scheme = crypt_scheme(value)
    if scheme == "bcrypt":
        import bcrypt

        # bcrypt treats $2y$ (PHP) exactly as $2b$.
        normalized = "$2b$" + value[4:] if value.startswith("$2y$") else value
        try:
            return bcrypt.checkpw(password.encode(), normalized.encode("ascii"))
        except ValueError:
            return False
    from passlib import hash as passlib_hash

    try:
        return getattr(passlib_hash, scheme).verify(password, value)
    except ValueError:
        return False


class LdapCryptPasswordHasher(BasePasswordHasher):
    """``{CRYPT}<crypt(3) string>``: bcrypt, SHA-crypt or MD5-crypt, stored as ``ldap_crypt$<string>``."""

    algorithm = "ldap_crypt"

    def encode(self, password: str, salt: str) -> str:
        import bcrypt

        self._check_encode_args(password, salt)
        return f"{self.algorithm}${bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=10)).decode()}"

    def verify(self, password: str, encoded: str) -> bool:
        algorithm, _sep, value = encoded.partition("$")
        if algorithm != self.algorithm:
            return False
        try:
            return _crypt_verify(password, value)
        except UnsupportedHash:
            return False

    def decode(self, encoded: str) -> dict:
        _algorithm, _sep, value = encoded.partition("$")
        return {"algorithm": self.algorithm, "hash": value, "salt": "", "scheme": crypt_scheme(value)}

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("scheme"): decoded["scheme"],
            _("hash"): mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded: str) -> bool:
        return True

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass


_DIGEST_HASHERS: dict[str, type[_LdapDigestHasher]] = {
    cls.scheme: cls
    for cls in (
        LdapShaPasswordHasher,
        LdapSshaPasswordHasher,
        LdapMd5PasswordHasher,
        LdapSmd5PasswordHasher,
        LdapSsha256PasswordHasher,
        LdapSsha512PasswordHasher,
    )
}


def to_django_hash(value: str) -> str:
    """Convert a legacy hash to the Django format stored on the account.

    Accepts ``{SSHA}``, ``{SHA}``, ``{SMD5}``, ``{MD5}``, ``{SSHA256}``, ``{SSHA512}``,
    ``{CRYPT}`` (bcrypt, SHA-crypt, MD5-crypt), a bare bcrypt string, and any hash already in
    Django's format whose hasher is enabled in ``PASSWORD_HASHERS``. Raises
    :class:`UnsupportedHash` with an English message otherwise. The converted hash is checked
    for well-formedness, not against a password.
    """
    from django.contrib.auth.hashers import identify_hasher

    value = (value or "").strip()
    if not value:
        raise UnsupportedHash("empty password hash")
    if value.startswith("{"):
        scheme, sep, payload = value[1:].partition("}")
        scheme = scheme.upper()
        if not sep:
            raise UnsupportedHash("malformed scheme prefix in password hash")
        if scheme == "CRYPT":
            crypt_scheme(payload)
            return "ldap_crypt$" + payload
        hasher_class = _DIGEST_HASHERS.get(scheme)
        if hasher_class is None:
            raise UnsupportedHash(f"unsupported password hash scheme {{{scheme}}}")
        encoded = f"{hasher_class.algorithm}${payload}"
        try:
            hasher_class()._split(encoded)
        except ValueError as exc:
            raise UnsupportedHash(f"invalid {{{scheme}}} hash: {exc}")
        return encoded
    if value.startswith(("$2a$", "$2b$", "$2y$")):
        return "ldap_crypt$" + value
    if re.fullmatch(r"[0-9a-fA-F]{32}|[0-9a-fA-F]{40}", value):
        raise UnsupportedHash("bare hex digest: ambiguous, give it as {MD5}/{SHA} base64 instead")
    try:
        hasher = identify_hasher(value)
    except ValueError:
        if "$" in value:
            raise UnsupportedHash(
                f"unknown password hash format: hasher {value.split('$', 1)[0]!r} is not in PASSWORD_HASHERS"
            )
        raise UnsupportedHash("unknown password hash format (expected {SSHA}, {SHA}, {MD5}, {CRYPT} or a Django hash)")
    if hasher.algorithm.startswith("unsalted_"):
        raise UnsupportedHash("unsalted Django hashes are not accepted")
    return value

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
for verification and never used to hash a new password. The schemes themselves are libpass'
(the maintained passlib fork, module ``passlib``; bcrypt is its backend): these classes only
adapt its ``{SCHEME}...`` strings to Django's ``algorithm$...`` format.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets

from django.contrib.auth.hashers import BasePasswordHasher, identify_hasher, mask_hash
from django.utils.translation import gettext_noop as _
from passlib import hash as passlib_hash


class UnsupportedHash(ValueError):
    """A legacy password hash in a format we cannot verify."""


class _LdapDigestHasher(BasePasswordHasher):
    """``{SCHEME}base64(digest(password + salt) + salt)`` (OpenLDAP's slappasswd), through libpass.

    Stored as ``<algorithm>$<base64>``: the ``{SCHEME}`` prefix is put back for libpass.
    """

    handler: str = ""  #: libpass handler in ``passlib.hash``
    digest: str = ""  #: hashlib name, to check an unsalted payload's length (libpass does not)
    salted: bool = False
    scheme: str = ""

    def _legacy(self, encoded: str) -> str:
        """``{SCHEME}<base64>`` from our stored form, or ValueError if it is not ours."""
        algorithm, _sep, payload = encoded.partition("$")
        if algorithm != self.algorithm:
            raise ValueError(f"not a {self.algorithm} hash")
        return f"{{{self.scheme}}}{payload}"

    def _parsed(self, encoded: str):
        """The libpass hash object; ValueError if malformed (base64, length, salt of 4 to 16 bytes)."""
        legacy = self._legacy(encoded)
        parsed = getattr(passlib_hash, self.handler).from_string(legacy)
        if not self.salted:
            try:
                raw = base64.b64decode(parsed.checksum, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError("invalid base64 payload")
            if len(raw) != hashlib.new(self.digest).digest_size:
                raise ValueError("payload has the wrong length")
        return parsed

    def encode(self, password: str, salt: str) -> str:
        self._check_encode_args(password, salt)
        handler = getattr(passlib_hash, self.handler)
        if self.salted:
            handler = handler.using(salt=salt.encode())
        return f"{self.algorithm}${handler.hash(password).removeprefix(f'{{{self.scheme}}}')}"

    def salt(self) -> str:
        return secrets.token_hex(4) if self.salted else "x"

    def verify(self, password: str, encoded: str) -> bool:
        try:
            self._parsed(encoded)
            return getattr(passlib_hash, self.handler).verify(password, self._legacy(encoded))
        except ValueError:
            return False

    def decode(self, encoded: str) -> dict:
        parsed = self._parsed(encoded)
        if self.salted:
            return {"algorithm": self.algorithm, "hash": parsed.checksum.hex(), "salt": parsed.salt.hex()}
        return {"algorithm": self.algorithm, "hash": base64.b64decode(parsed.checksum).hex(), "salt": ""}

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {_("algorithm"): decoded["algorithm"], _("hash"): mask_hash(decoded["hash"])}

    def must_update(self, encoded: str) -> bool:
        return True

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass


class LdapShaPasswordHasher(_LdapDigestHasher):
    algorithm, handler, digest, salted, scheme = "ldap_sha", "ldap_sha1", "sha1", False, "SHA"


class LdapSshaPasswordHasher(_LdapDigestHasher):
    algorithm, handler, digest, salted, scheme = "ldap_ssha", "ldap_salted_sha1", "sha1", True, "SSHA"


class LdapMd5PasswordHasher(_LdapDigestHasher):
    algorithm, handler, digest, salted, scheme = "ldap_md5", "ldap_md5", "md5", False, "MD5"


class LdapSmd5PasswordHasher(_LdapDigestHasher):
    algorithm, handler, digest, salted, scheme = "ldap_smd5", "ldap_salted_md5", "md5", True, "SMD5"


class LdapSsha256PasswordHasher(_LdapDigestHasher):
    algorithm, handler, digest, salted, scheme = "ldap_ssha256", "ldap_salted_sha256", "sha256", True, "SSHA256"


class LdapSsha512PasswordHasher(_LdapDigestHasher):
    algorithm, handler, digest, salted, scheme = "ldap_ssha512", "ldap_salted_sha512", "sha512", True, "SSHA512"


# crypt(3) schemes we verify, by prefix; libpass verifies each through its ``ldap_<scheme>``
# ({CRYPT}) handler. Traditional DES crypt is refused.
_CRYPT_PREFIXES = {
    "$2a$": "bcrypt",
    "$2b$": "bcrypt",
    "$2y$": "bcrypt",
    "$6$": "sha512_crypt",
    "$5$": "sha256_crypt",
    "$1$": "md5_crypt",
}
#: bcrypt reads only the first 72 bytes of a password (crypt(3) truncated silently; the
#: bcrypt package now raises instead): the legacy directory hashed those.
BCRYPT_MAX_BYTES = 72


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
    secret: str | bytes = password
    if scheme == "bcrypt":
        secret = password.encode()[:BCRYPT_MAX_BYTES]
    try:
        return getattr(passlib_hash, f"ldap_{scheme}").verify(secret, "{CRYPT}" + value)
    except ValueError:
        return False


class LdapCryptPasswordHasher(BasePasswordHasher):
    """``{CRYPT}<crypt(3) string>``: bcrypt, SHA-crypt or MD5-crypt, stored as ``ldap_crypt$<string>``."""

    algorithm = "ldap_crypt"

    def encode(self, password: str, salt: str) -> str:
        self._check_encode_args(password, salt)
        hashed = passlib_hash.ldap_bcrypt.using(rounds=10, ident="2b").hash(password.encode()[:BCRYPT_MAX_BYTES])
        return f"{self.algorithm}${hashed.removeprefix('{CRYPT}')}"

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


#: Every LDAP scheme the legacy directory may hold, one Django hasher each.
LDAP_HASHERS: tuple[type[BasePasswordHasher], ...] = (
    LdapShaPasswordHasher,
    LdapSshaPasswordHasher,
    LdapMd5PasswordHasher,
    LdapSmd5PasswordHasher,
    LdapSsha256PasswordHasher,
    LdapSsha512PasswordHasher,
    LdapCryptPasswordHasher,
)

_DIGEST_HASHERS: dict[str, type[_LdapDigestHasher]] = {
    cls.scheme: cls for cls in LDAP_HASHERS if issubclass(cls, _LdapDigestHasher)
}


def to_django_hash(value: str) -> str:
    """Convert a legacy hash to the Django format stored on the account.

    Accepts ``{SSHA}``, ``{SHA}``, ``{SMD5}``, ``{MD5}``, ``{SSHA256}``, ``{SSHA512}``,
    ``{CRYPT}`` (bcrypt, SHA-crypt, MD5-crypt), a bare bcrypt string, and any hash already in
    Django's format whose hasher is enabled in ``PASSWORD_HASHERS``. Raises
    :class:`UnsupportedHash` with an English message otherwise. The converted hash is checked
    for well-formedness, not against a password.
    """

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
            hasher_class()._parsed(encoded)
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

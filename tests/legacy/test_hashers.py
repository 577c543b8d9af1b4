"""Legacy hash formats with known vectors, and the upgrade to Argon2 at the first login."""

from __future__ import annotations

import base64

import bcrypt
import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, make_password

from cas_educonnect.models import Account
from cas_educonnect.routes.legacy.hashers import (
    LDAP_HASHERS,
    LdapSshaPasswordHasher,
    UnsupportedHash,
    to_django_hash,
)

# (legacy hash, password). Sources: {SHA}/{MD5} of "password" are the classic published
# values; the salted ones were computed with `openssl dgst` / hashlib (digest(password + salt)
# + salt); the bcrypt vector is OpenBSD's ("U*U"), the SHA-crypt ones are from Drepper's
# specification, the MD5-crypt one from glibc's crypt(3).
VECTORS = [
    ("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "password"),
    ("{MD5}X03MO1qnZdYdgyfeuILPmQ==", "password"),
    ("{SSHA}Wcm1xEisNjqp921ALcHfuQ7avFdzYWx0MTIzNA==", "secret"),
    ("{ssha}Wcm1xEisNjqp921ALcHfuQ7avFdzYWx0MTIzNA==", "secret"),
    ("{SMD5}t6xns2DCS6727SipGd221U5hQ2w=", "secret"),
    (
        "{SSHA512}YoGZg1+cgNmINJsopvOUXJrAzD2kYEi6GXW5leXJbNIhPA/bM1F7Pd8D4gcyBQdNRWfJAWXQZAdH1b0o8E/KpHBlcHBlcjQy",
        "secret",
    ),
    ("{CRYPT}$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"),
    ("{CRYPT}$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"),
    ("$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"),
    (
        "{CRYPT}$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
        "Hello world!",
    ),
    ("{SSHA256}j0n/uh6CU6h1qJ4JbrCkpA39H3tDL7tqG+CL+mZmVAlzYWx0NTY3OA==", "secret"),
    ("{CRYPT}$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", "Hello world!"),
    ("{CRYPT}$1$saltstri$qQY4WxjABChYG1ccLpfkz/", "password"),
]
HASHERS = list(LDAP_HASHERS)


@pytest.mark.parametrize(("legacy", "password"), VECTORS)
def test_known_vectors_verify(legacy, password):
    encoded = to_django_hash(legacy)
    assert check_password(password, encoded)
    assert not check_password(password + "x", encoded)
    assert not check_password("", encoded)


def test_django_hashes_pass_through():
    encoded = make_password("motdepasse", hasher="pbkdf2_sha256")
    assert to_django_hash(encoded) == encoded
    assert check_password("motdepasse", to_django_hash(encoded))


@pytest.mark.parametrize(
    ("legacy", "message"),
    [
        ("{SHA256}abc", "unsupported password hash scheme {SHA256}"),
        ("{SSHA}not base64!", "invalid {SSHA} hash"),
        ("{SHA}AAAA", "invalid {SHA} hash"),
        ("{MD5}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "invalid {MD5} hash"),
        # A salt must be 4 to 16 bytes (every LDAP server writes 4 or 8).
        ("{SSHA}" + base64.b64encode(b"d" * 20 + b"s" * 2).decode(), "invalid {SSHA} hash"),
        ("{SSHA}" + base64.b64encode(b"d" * 20 + b"s" * 17).decode(), "invalid {SSHA} hash"),
        ("{CRYPT}abJnggxhB/yWI", "unsupported {CRYPT} scheme"),
        ("5f4dcc3b5aa765d61d8327deb882cf99", "bare hex digest"),
        ("whatever$abc", "hasher 'whatever' is not in PASSWORD_HASHERS"),
        ("plaintext", "unknown password hash format"),
        ("", "empty password hash"),
    ],
)
def test_unknown_formats_are_refused_with_a_clear_message(legacy, message):
    with pytest.raises(UnsupportedHash, match=message.replace("{", r"\{").replace("}", r"\}")):
        to_django_hash(legacy)


def test_first_successful_login_upgrades_to_argon2(legacy_factory):
    account = legacy_factory(identifier="PMartin", hash="{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=")
    assert authenticate(None, username="pmartin", password="wrong") is None
    assert Account.objects.get(pk=account.pk).password.startswith("ldap_sha$")
    assert authenticate(None, username="PMartin", password="password") is not None
    upgraded = Account.objects.get(pk=account.pk).password
    assert upgraded.startswith("argon2$")
    assert authenticate(None, username="pmartin", password="password") is not None
    assert Account.objects.get(pk=account.pk).password == upgraded


@pytest.mark.parametrize("hasher_class", HASHERS, ids=lambda c: c.algorithm)
def test_each_hasher_encodes_what_it_verifies_and_always_asks_for_an_upgrade(hasher_class):
    hasher = hasher_class()
    encoded = hasher.encode("Mot-de-passe-1", hasher.salt())
    assert encoded.startswith(hasher.algorithm + "$")
    assert hasher.verify("Mot-de-passe-1", encoded)
    assert not hasher.verify("Mot-de-passe-2", encoded)
    assert hasher.must_update(encoded)
    assert hasher.decode(encoded)["algorithm"] == hasher.algorithm
    assert str(hasher.safe_summary(encoded)["hash"]).count("*") > 0
    # A hash of another algorithm, or a malformed one, never verifies.
    assert not hasher.verify("Mot-de-passe-1", "other$" + encoded.partition("$")[2])
    assert not hasher.verify("x", hasher.algorithm + "$%%%")


def test_salted_encode_matches_the_slappasswd_layout():
    encoded = LdapSshaPasswordHasher().encode("secret", "salt1234")
    assert encoded == "ldap_ssha$Wcm1xEisNjqp921ALcHfuQ7avFdzYWx0MTIzNA=="


def test_bcrypt_reads_the_first_72_bytes_as_crypt3_did():
    password = "é" * 40  # 80 bytes in UTF-8
    legacy = bcrypt.hashpw(password.encode()[:72], bcrypt.gensalt(rounds=4)).decode()
    encoded = to_django_hash("{CRYPT}" + legacy)
    assert check_password(password, encoded)
    assert not check_password("é" * 35, encoded)

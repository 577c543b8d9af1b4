"""Legacy hash formats with known vectors, and the upgrade to Argon2 at the first login."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, make_password

from cas_educonnect.models import Account
from cas_educonnect.routes.legacy.hashers import UnsupportedHash, to_django_hash

# (legacy hash, password). Sources: {SHA}/{MD5} of "password" are the classic published
# values; the salted ones were computed with `openssl dgst` (digest(password + salt) + salt);
# the bcrypt vector is OpenBSD's ("U*U"), the SHA-crypt one is from Drepper's specification.
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
]


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

"""The accounts' Argon2id hasher: OWASP parameters, older Argon2 hashes verified then upgraded."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, identify_hasher, make_password

from cas_educonnect.accounts.hashers import Argon2idPasswordHasher

HASHERS = ["cas_educonnect.accounts.hashers.Argon2idPasswordHasher"]


def test_hash_carries_the_owasp_parameters(settings):
    settings.PASSWORD_HASHERS = HASHERS
    encoded = make_password("choisi-2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$"), encoded
    assert isinstance(identify_hasher(encoded), Argon2idPasswordHasher)
    assert check_password("choisi-2026", encoded) and not check_password("autre-2026", encoded)


def test_a_django_default_argon2_hash_verifies_then_is_rehashed(settings):
    settings.PASSWORD_HASHERS = HASHERS
    old = Argon2PasswordHasher().encode("choisi-2026", Argon2PasswordHasher().salt())
    assert "m=102400,t=2,p=8" in old
    upgraded = []
    assert check_password("choisi-2026", old, setter=upgraded.append)
    assert upgraded == ["choisi-2026"], "the next successful login re-hashes"
    assert not check_password("autre-2026", old)


@pytest.mark.parametrize("password", ["", "é" * 200])
def test_edge_passwords_round_trip(settings, password):
    settings.PASSWORD_HASHERS = HASHERS
    assert check_password(password, make_password(password))

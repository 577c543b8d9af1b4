"""One key derivation from SECRET_KEY: per purpose, and following SECRET_KEY_FALLBACKS."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from cas_educonnect.accounts import passwords
from cas_educonnect.core.crypto import derive_keys, multi_fernet
from cas_educonnect.routes.sms import delivery

OLD, NEW = "old-secret-key-" + "o" * 40, "new-secret-key-" + "n" * 40


@pytest.fixture
def rotated(settings):
    """Call it to rotate: SECRET_KEY becomes NEW, the old one moves to the fallbacks."""
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD, []

    def rotate(keep_old: bool = True) -> None:
        settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, [OLD] if keep_old else []

    return rotate


def test_known_answer(settings):
    """HKDF-SHA256 (RFC 5869), no salt, info = b"cas_educonnect:" + purpose."""
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "k", []
    expected = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"cas_educonnect:p").derive(b"k")
    assert derive_keys("p") == [expected]
    # RFC 5869 test case 3 (no salt, no info) pins the primitive itself.
    ikm = bytes([0x0B] * 22)
    okm = HKDF(algorithm=hashes.SHA256(), length=42, salt=None, info=b"").derive(ikm)
    assert okm.hex() == ("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")


def test_current_key_first_then_one_per_fallback(settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, [OLD, "older-" + "x" * 40]
    keys = derive_keys("p")
    assert len(keys) == 3 and len(set(keys)) == 3
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD, []
    assert derive_keys("p") == [keys[1]]


def test_purposes_and_lengths_give_unrelated_keys(settings):
    assert derive_keys("a") != derive_keys("b")
    assert len(derive_keys("a", 64)[0]) == 64
    assert settings.SECRET_KEY.encode() not in derive_keys("a")[0]
    with pytest.raises(ValueError):
        derive_keys("")


def test_multi_fernet_follows_the_rotation(rotated):
    token = multi_fernet("p").encrypt(b"x")
    rotated()
    assert multi_fernet("p").decrypt(token) == b"x"
    # New tokens are made with the new key: they no longer need the old one.
    fresh = multi_fernet("p").encrypt(b"y")
    rotated(keep_old=False)
    assert multi_fernet("p").decrypt(fresh) == b"y"


def test_provisional_passwords_survive_a_secret_key_rotation(settings, rotated):
    """Failed before: the key derived from SECRET_KEY ignored SECRET_KEY_FALLBACKS."""
    settings.CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS = []
    token = passwords.encrypt_provisional_password("ab12cd34")
    rotated()
    assert passwords.check_provisional_password(token, "ab12cd34")
    rotated(keep_old=False)
    assert not passwords.check_provisional_password(token, "ab12cd34")


def test_provisional_passwords_encrypted_before_hkdf_still_decrypt(settings):
    settings.CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS = []
    old_key = base64.urlsafe_b64encode(
        hashlib.sha256(b"cas_educonnect.provisional:" + settings.SECRET_KEY.encode()).digest()
    )
    token = Fernet(old_key).encrypt(b"zz99zz99").decode()
    assert passwords.decrypt_provisional_password(token) == "zz99zz99"
    # ...but new ones are encrypted with the derived key.
    fresh = passwords.encrypt_provisional_password("zz99zz99").encode()
    assert multi_fernet(passwords.KEY_PURPOSE).decrypt(fresh) == b"zz99zz99"
    with pytest.raises(InvalidToken):
        Fernet(old_key).decrypt(fresh)


def test_configured_provisional_keys_win_over_the_derivation(settings):
    key = Fernet.generate_key().decode()
    settings.CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS = [key]
    token = passwords.encrypt_provisional_password("ab12cd34")
    assert Fernet(key).decrypt(token.encode()) == b"ab12cd34"


def test_sms_sealed_arguments_survive_a_secret_key_rotation(rotated):
    token = delivery.seal("+33612345678", [])
    rotated()
    assert delivery.unseal(token) == {"number": "+33612345678", "refund": []}
    rotated(keep_old=False)
    assert delivery.unseal(token) is None

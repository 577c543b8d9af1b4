"""Fixtures of the security suite: a registered service and an active account (host fixtures reused)."""

import pytest

from tests.host.conftest import PASSWORD as PASSWORD_FIXTURE  # noqa: F401
from tests.host.conftest import SERVICE, active_account, login, service_pattern  # noqa: F401


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """The suite logs in hundreds of times; it tests no hasher (Argon2 stays the first hasher elsewhere)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

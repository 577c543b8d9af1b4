"""Fixtures of the legacy and portal tests: the demo service, legacy accounts from known hashes."""

from __future__ import annotations

import pytest

from cas_educonnect.models import Account, AccountKind, AccountState, UsedIdentifier
from cas_educonnect.routes.legacy.hashers import to_django_hash
from cas_educonnect.routes.legacy.matching import link_account, match_person
from cas_educonnect.routes.legacy.models import LegacyProfile
from tests.legacy.helpers import register_demo_service

# {SSHA} of "secret" with salt "salt1234" (computed with openssl, independently of our code).
SSHA_SECRET = "{SSHA}Wcm1xEisNjqp921ALcHfuQ7avFdzYWx0MTIzNA=="


@pytest.fixture
def demo_service(db) -> str:
    return register_demo_service()


@pytest.fixture
def legacy_factory(db):
    def make(identifier="JDupont", category="teacher", hash=SSHA_SECRET, email="", **profile) -> Account:
        account = Account.objects.create(
            identifier=identifier.lower(),
            kind=AccountKind.LEGACY,
            state=AccountState.ACTIVE,
            password=to_django_hash(hash),
            email=email,
            legacy_identifier=identifier,
        )
        UsedIdentifier.objects.get_or_create(identifier=identifier.lower())
        legacy = LegacyProfile.objects.create(
            account=account, category=category, imported_hash=account.password, **profile
        )
        link_account(account, match_person(legacy, email))
        return account

    return make

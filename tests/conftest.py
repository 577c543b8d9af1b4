"""Shared fixtures: factories for the directory and accounts."""

from __future__ import annotations

import datetime
import itertools

import pytest

from cas_educonnect.accounts.identifiers import allocate_identifier
from cas_educonnect.accounts.passwords import encrypt_provisional_password, generate_provisional_password
from cas_educonnect.models import (
    Account,
    AccountKind,
    AccountState,
    Establishment,
    Pupil,
    Representative,
    RepresentativeLink,
)
from tests.accessibility import sweep  # noqa: F401  (the accessibility sweep of the public pages)
from tests.browser import axe_script, chromium, page  # noqa: F401  (browser fixtures for every module)

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_memos():
    """Forget the per-process memos (ServicePatterns, school closures, kept subjects) between
    tests: a rolled-back or flushed test database sends no signal, so a memo from one test
    would outlive its rows."""
    from cas_educonnect.attributes import shared
    from cas_educonnect.core.memo import SharedMemo

    SharedMemo.forget_all()
    shared.forget()
    yield
    SharedMemo.forget_all()


@pytest.fixture
def establishment_factory(db):
    def make(**kwargs) -> Establishment:
        n = next(_seq)
        defaults = {"uai": f"{n:07d}A", "jointure": f"STR{n}", "name": f"Collège {n}", "academy_code": "DEMO"}
        defaults.update(kwargs)
        return Establishment.objects.create(**defaults)

    return make


@pytest.fixture
def pupil_factory(db, establishment_factory):
    def make(**kwargs) -> Pupil:
        n = next(_seq)
        defaults = {
            "jointure": f"ELV{n}",
            "struct_id": str(700000 + n),
            "ine": f"{n:010d}A",
            "last_name": "Martin",
            "first_name": f"Léa{n}",
            "birth_date": datetime.date(2012, 3, 14),
        }
        defaults.update(kwargs)
        if "establishment" not in defaults:
            defaults["establishment"] = establishment_factory()
        return Pupil.objects.create(**defaults)

    return make


@pytest.fixture
def representative_factory(db):
    def make(children=(), legal=1, **kwargs) -> Representative:
        n = next(_seq)
        defaults = {"jointure": f"RES{n}", "last_name": "Martin", "first_name": f"Paul{n}", "title": "M."}
        defaults.update(kwargs)
        rep = Representative.objects.create(**defaults)
        for child in children:
            RepresentativeLink.objects.create(representative=rep, pupil=child, link_code="20", legal=legal)
        return rep

    return make


@pytest.fixture
def account_factory(db):
    """An account with a known provisional password (``account.clear_provisional``)."""

    def make(kind=AccountKind.PUPIL, state=AccountState.NOTIFIED, pupils=(), representatives=(), **kwargs):
        person = (list(pupils) + list(representatives) or [None])[0]
        identifier = kwargs.pop("identifier", None) or allocate_identifier(
            getattr(person, "first_name", "test"), getattr(person, "last_name", "compte")
        )
        clear = generate_provisional_password()
        account = Account.objects.create(
            identifier=identifier,
            kind=kind,
            state=state,
            provisional_password=encrypt_provisional_password(clear),
            **kwargs,
        )
        account.pupils.set(pupils)
        account.representatives.set(representatives)
        account.clear_provisional = clear
        return account

    return make


def pytest_collection_modifyitems(config, items):
    """Skip, with the reason, tests of login routes the settings module does not install."""
    from django.apps import apps

    for item in items:
        for mark in item.iter_markers("routes"):
            missing = [name for name in mark.args if not apps.is_installed(f"cas_educonnect.routes.{name}")]
            if missing:
                item.add_marker(pytest.mark.skip(reason=f"needs the {', '.join(missing)} route(s), not installed here"))

"""Fixtures of the staff administration tests: two schools, their staff, a verified client."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cas_educonnect.models import (
    AccountKind,
    AccountReport,
    AccountState,
    Division,
    Mef,
    Representative,
    RepresentativeLink,
)
from cas_educonnect.staff.models import Role, StaffRole

PASSWORD = "staff-password-2026"


@pytest.fixture(autouse=True)
def _fresh_login_counters():
    """The admin login counters (per username, per IP) live in the cache: none outlives a test."""
    cache.clear()
    yield
    cache.clear()


def totp_now(device: TOTPDevice) -> str:
    """The code an authenticator application would show now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def make_staff(username: str, school=None, role=Role.HEAD, superuser=False, device=True):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True, is_superuser=superuser)
    if school is not None:
        StaffRole.objects.create(user=user, establishment=school, role=role)
    if device:
        user.totp = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    return user


def verified_client(client, user):
    """A client logged in as ``user`` with his TOTP device verified in the session."""
    client.force_login(user)
    session = client.session
    device = getattr(user, "totp", None) or TOTPDevice.objects.get(user=user, confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@dataclass
class School:
    establishment: object
    divisions: list
    pupils: list = field(default_factory=list)
    reps: list = field(default_factory=list)
    pupil_accounts: list = field(default_factory=list)
    rep_accounts: list = field(default_factory=list)


@pytest.fixture
def school_factory(establishment_factory, pupil_factory, account_factory):
    """A school with 2 divisions of 2 pupils, one representative each, all with accounts.

    Pupil accounts: first of each division Non notifié, second Notifié; representative
    accounts: Non notifié, Notifié, En cours d'activation, Utilisé (in that order).
    """

    def make(name: str, marker: str) -> School:
        school = establishment_factory(name=name, city="Vannes", address="1 rue des Écoles", postal_code="56000")
        mef, _ = Mef.objects.get_or_create(code="3EME", defaults={"label": "3EME"})
        divisions = [Division.objects.create(establishment=school, code=f"3{x}{marker[:3]}") for x in "AB"]
        result = School(school, divisions)
        rep_states = [AccountState.NOT_NOTIFIED, AccountState.NOTIFIED, AccountState.ACTIVATING, AccountState.ACTIVE]
        for d_index, division in enumerate(divisions):
            for p_index in range(2):
                pupil = pupil_factory(
                    establishment=school,
                    division=division,
                    mef=mef,
                    last_name=f"{marker}{d_index}{p_index}",
                    first_name="Léa",
                    regime="externe" if p_index == 0 else "interne",
                    birth_date=datetime.date(2011, 5, 2 + p_index),
                )
                result.pupils.append(pupil)
                state = AccountState.NOT_NOTIFIED if p_index == 0 else AccountState.NOTIFIED
                result.pupil_accounts.append(account_factory(kind=AccountKind.PUPIL, state=state, pupils=[pupil]))
                n = 2 * d_index + p_index
                rep = Representative.objects.create(
                    jointure=f"R-{marker}-{n}",
                    title="Mme",
                    last_name=f"Parent{marker}{n}",
                    first_name="Anne",
                    email=f"anne{n}@{marker.lower()}.example.org" if n != 1 else "",
                    address="3 place du Marché" if n != 2 else "",
                    postal_code="56000",
                    city="Vannes" if n != 2 else "",
                )
                RepresentativeLink.objects.create(representative=rep, pupil=pupil, link_code="10", legal=1)
                result.reps.append(rep)
                account = account_factory(kind=AccountKind.REPRESENTATIVE, state=rep_states[n], representatives=[rep])
                result.rep_accounts.append(account)
        AccountReport.objects.create(
            account=result.rep_accounts[3], pupil=result.pupils[3], kind=AccountReport.Kind.NOT_LEGAL_REPRESENTATIVE
        )
        return result

    return make


@pytest.fixture
def school_a(school_factory):
    return school_factory("Collège Alpha", "Alphamark")


@pytest.fixture
def school_b(school_factory):
    return school_factory("Lycée Bravo", "Bravomark")


@pytest.fixture
def head_a(school_a):
    return make_staff("head.a", school_a.establishment)

"""The personas of the attribute golden tests, built with the shared factories."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from cas_educonnect.models import AccountKind, AccountState, Establishment, RepresentativeLink


@dataclass
class Personas:
    ecole: Establishment
    college: Establishment
    lycee: Establishment
    pupil_1d: object
    pupil_2d: object
    parent_of_three: object
    adult_pupil: object
    adult_as_representative: object
    joint: object
    legacy: object


@pytest.fixture
def schools(establishment_factory):
    return {
        "ecole": establishment_factory(uai="0790001A", name="École Jules Ferry", degree="1D", jointure="STR-E"),
        "college": establishment_factory(uai="0790031E", name="Collège Jean Moulin", degree="2D", jointure="STR-C"),
        "lycee": establishment_factory(uai="0790050B", name="Lycée Marie Curie", degree="2D", jointure="STR-L"),
    }


@pytest.fixture
def personas(schools, pupil_factory, representative_factory, account_factory) -> Personas:
    """Identifiers are allocated as in production (tom.petit, ines.durand, paul.martin, hugo.leroy,
    hugo.leroy1, marie.bernard, nadia.roux), so the demo command can run beside them."""
    ecole, college, lycee = schools["ecole"], schools["college"], schools["lycee"]
    active = {"state": AccountState.ACTIVE}

    # Pupil 1D and pupil 2D, each with his own account.
    tom = pupil_factory(
        jointure="ELV-TOM",
        struct_id="101",
        last_name="Petit",
        first_name="Tom",
        establishment=ecole,
        birth_date=datetime.date(2016, 5, 2),
    )
    ines = pupil_factory(
        jointure="ELV-INES",
        struct_id="701294",
        last_name="Durand",
        first_name="Inès",
        establishment=college,
        birth_date=datetime.date(2012, 9, 30),
    )
    pupil_1d = account_factory(pupils=[tom], **active)
    pupil_2d = account_factory(pupils=[ines], **active)

    # A parent of three children in two schools (two in the collège, one in the école).
    kids = [
        pupil_factory(
            jointure="ELV-A", struct_id="7001", last_name="Martin", first_name="Alice", establishment=college
        ),
        pupil_factory(
            jointure="ELV-B", struct_id="7002", last_name="Martin", first_name="Bruno", establishment=college
        ),
        pupil_factory(jointure="ELV-C", struct_id="1003", last_name="Martin", first_name="Chloé", establishment=ecole),
    ]
    paul = representative_factory(children=kids, jointure="RES-PAUL", last_name="Martin", first_name="Paul")
    parent_of_three = account_factory(
        kind=AccountKind.REPRESENTATIVE,
        representatives=[paul],
        email="paul@example.org",
        email_validated=True,
        **active,
    )

    # An adult pupil who is his own representative: two accounts.
    hugo = pupil_factory(
        jointure="ELV-HUGO",
        struct_id="8800",
        last_name="Leroy",
        first_name="Hugo",
        establishment=lycee,
        birth_date=datetime.date(2006, 1, 15),
    )
    hugo_rep = representative_factory(jointure="RES-HUGO", last_name="Leroy", first_name="Hugo", title="M.")
    RepresentativeLink.objects.create(representative=hugo_rep, pupil=hugo, link_code="70", legal=1)
    adult_pupil = account_factory(pupils=[hugo], **active)
    adult_as_representative = account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[hugo_rep], **active)

    # A joint account: both parents of Zoé share one account.
    zoe = pupil_factory(
        jointure="ELV-ZOE", struct_id="7100", last_name="Bernard", first_name="Zoé", establishment=college
    )
    marie = representative_factory(
        children=[zoe], jointure="RES-MARIE", last_name="Bernard", first_name="Marie", title="Mme"
    )
    luc = representative_factory(children=[zoe], jointure="RES-LUC", last_name="Bernard", first_name="Luc")
    joint = account_factory(
        kind=AccountKind.REPRESENTATIVE,
        representatives=[marie, luc],
        email="famille.bernard@example.org",
        email_validated=False,
        **active,
    )

    # A migrated legacy account (representative of Zoé's classmate) keeping its old CAS login.
    sam = pupil_factory(jointure="ELV-SAM", struct_id="7200", last_name="Roux", first_name="Sam", establishment=college)
    nadia = representative_factory(
        children=[sam], jointure="RES-NADIA", last_name="Roux", first_name="Nadia", title="Mme"
    )
    legacy = account_factory(
        kind=AccountKind.LEGACY,
        representatives=[nadia],
        legacy_identifier="nroux42",
        **active,
    )
    return Personas(
        ecole=ecole,
        college=college,
        lycee=lycee,
        pupil_1d=pupil_1d,
        pupil_2d=pupil_2d,
        parent_of_three=parent_of_three,
        adult_pupil=adult_pupil,
        adult_as_representative=adult_as_representative,
        joint=joint,
        legacy=legacy,
    )


@pytest.fixture
def cas(personas, settings):
    """The personas with a chosen password, an ENT and a follow-up service registered."""
    from .cas_helpers import services, set_password

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins
    services()
    for account in (personas.pupil_2d, personas.parent_of_three, personas.joint, personas.adult_pupil):
        set_password(account)
    return personas

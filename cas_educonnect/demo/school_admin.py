"""Demo step: a head of school with a TOTP device, in a school with classes to notify.

Uses the demo academy's first school when an earlier step created one; otherwise creates
a small school (two divisions, pupils, representatives, pre-created accounts). The TOTP
secret is printed as an otpauth:// URI (scan it) and ``manage.py educonnect_totp
principal`` prints the current code in DEBUG.
"""

from __future__ import annotations

import datetime
from base64 import b32encode

from cas_server.models import ServicePattern
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from cas_educonnect.accounts.identifiers import allocate_identifier
from cas_educonnect.demo import DemoContext
from cas_educonnect.models import (
    Account,
    AccountKind,
    Division,
    Establishment,
    Mef,
    Pupil,
    Representative,
    RepresentativeLink,
)
from cas_educonnect.staff.models import Role, SchoolServiceSetting, SchoolSettings, StaffRole

HEAD_USERNAME = "principal"
HEAD_PASSWORD = "demo-principal-2026"
DEMO_UAI = "0561641E"
FIRST_NAMES = ["Léa", "Hugo", "Chloé", "Lucas", "Inès", "Jules", "Manon", "Nathan"]
LAST_NAMES = ["Martin", "Bernard", "Le Goff", "Tanguy", "Morvan", "Guillou", "Le Gall", "Riou"]


def _school() -> Establishment:
    school = Establishment.objects.filter(divisions__pupils__isnull=False).order_by("uai").first()
    if school is not None:
        return school
    school, _ = Establishment.objects.get_or_create(
        uai=DEMO_UAI,
        defaults={
            "jointure": "DEMO-STRUCT-1",
            "name": "Collège Jules Simon",
            "address": "4 allée Jules Simon",
            "postal_code": "56000",
            "city": "Vannes",
            "phone": "02 97 00 00 00",
            "email": "ce.0561641e@ac-demo.fr",
            "academy_code": "DEMO",
        },
    )
    mef, _ = Mef.objects.get_or_create(code="3EME", defaults={"label": "3EME"})
    for d_index, code in enumerate(["3A", "3B"]):
        division, _ = Division.objects.get_or_create(establishment=school, code=code)
        for n in range(4):
            first, last = FIRST_NAMES[(n + d_index) % 8], LAST_NAMES[(2 * n + d_index) % 8]
            pupil, created = Pupil.objects.get_or_create(
                jointure=f"DEMO-ELV-{code}-{n}",
                defaults={
                    "struct_id": f"9{d_index}{n:04d}",
                    "last_name": last,
                    "first_name": first,
                    "birth_date": datetime.date(2011, 1 + n, 10 + d_index),
                    "establishment": school,
                    "division": division,
                    "mef": mef,
                    "regime": "externe" if n % 2 else "demi-pensionnaire",
                },
            )
            if not created:
                continue
            account = Account.objects.create(identifier=allocate_identifier(first, last), kind=AccountKind.PUPIL)
            account.pupils.set([pupil])
            rep = Representative.objects.create(
                jointure=f"DEMO-RES-{code}-{n}",
                title="Mme" if n % 2 else "M.",
                last_name=last,
                first_name="Anne" if n % 2 else "Yann",
                email=f"parent.{code.lower()}.{n}@example.org" if n != 3 else "",
                address=f"{n + 1} rue du Port",
                postal_code="56000",
                city="Vannes",
            )
            RepresentativeLink.objects.create(representative=rep, pupil=pupil, link_code="10", legal=1)
            rep_account = Account.objects.create(
                identifier=allocate_identifier(rep.first_name, rep.last_name), kind=AccountKind.REPRESENTATIVE
            )
            rep_account.representatives.set([rep])
    return school


def run(context: DemoContext) -> None:
    school = _school()
    user_model = get_user_model()
    head, _ = user_model._default_manager.get_or_create(**{user_model.USERNAME_FIELD: HEAD_USERNAME})
    if not head.check_password(HEAD_PASSWORD) or not head.is_staff:
        head.set_password(HEAD_PASSWORD)
        head.is_staff = True
        head.save()
    StaffRole.objects.get_or_create(user=head, establishment=school, role=Role.HEAD)
    device = TOTPDevice.objects.filter(user=head, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=head, name="TOTP", confirmed=True)
    SchoolSettings.objects.get_or_create(establishment=school)
    for service in ServicePattern.objects.all():
        SchoolServiceSetting.objects.get_or_create(establishment=school, service_pattern=service)
    secret = b32encode(device.bin_key).decode()
    context.add_account(
        HEAD_USERNAME,
        HEAD_PASSWORD,
        "active",
        f"Chef d'établissement {school.uai} (/admin/, code TOTP)",
        totp_secret=secret,
        otpauth_uri=device.config_url,
    )
    context.notes.append(
        f"Staff admin: {context.base_url}/admin/ as {HEAD_USERNAME} / {HEAD_PASSWORD} + TOTP code.\n"
        f"  TOTP secret (base32): {secret}\n  otpauth URI (scan or paste in an authenticator): {device.config_url}\n"
        f"  Current code: python example_project/manage.py educonnect_totp {HEAD_USERNAME}"
    )

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
from django.contrib.auth.hashers import check_password, make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from cas_educonnect.accounts import lifecycle
from cas_educonnect.accounts.identifiers import allocate_identifier
from cas_educonnect.demo import DemoContext
from cas_educonnect.models import (
    Account,
    AccountKind,
    AccountState,
    Division,
    Establishment,
    Mef,
    NotificationMode,
    Pupil,
    Representative,
    RepresentativeLink,
)
from cas_educonnect.staff import refusals, schoolyear
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


CARRIED_OVER_PASSWORD = "demo-continuite-2026"


def _carried_over(school: Establishment) -> tuple[Account, Division] | None:
    """A pupil account of the school's last class in use since the previous school year.

    Continuity of access (seed 004 §1.4.1): the staff lists show it in red. Idempotent: the
    same account (first pupil of the class by name) is set again on every run.
    """
    division = Division.objects.filter(establishment=school, pupils__isnull=False).order_by("-code").first()
    if division is None:
        return None
    pupil = Pupil.objects.filter(division=division, left_at__isnull=True, accounts__kind=AccountKind.PUPIL)
    pupil = pupil.order_by("last_name", "first_name", "pk").first()
    if pupil is None:
        return None
    account = pupil.accounts.filter(kind=AccountKind.PUPIL).order_by("pk").first()
    begins = schoolyear.current().previous.begins_at
    if not (schoolyear.is_carried_over(account) and check_password(CARRIED_OVER_PASSWORD, account.password)):
        Account.objects.filter(pk=account.pk).update(
            state=AccountState.ACTIVE,
            password=make_password(CARRIED_OVER_PASSWORD),
            provisional_password="",
            notified_at=begins + datetime.timedelta(days=30),
            notification_mode=NotificationMode.PAPER,
            activated_at=begins + datetime.timedelta(days=40),
            last_used_at=begins + datetime.timedelta(days=200),
        )
    return Account.objects.get(pk=account.pk), division


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
    SchoolSettings.objects.get_or_create(establishment=school, defaults={"signatory": "M. E. Le Goff"})
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
    _refusal_and_slip(context, head, school)
    carried = _carried_over(school)
    if carried is not None:
        account, division = carried
        context.add_account(
            account.identifier,
            CARRIED_OVER_PASSWORD,
            "active",
            f"Élève {division}, compte repris d'une année précédente (en rouge dans les listes)",
        )
        context.notes.append(
            f"Carried-over account (in red, « continuité »): {account.identifier} / {CARRIED_OVER_PASSWORD}, in use "
            f"since {schoolyear.current().previous}.\n"
            f"  As {HEAD_USERNAME}: {context.base_url}/admin/educonnect/lists/"
            f"?school={school.pk}&division={division.pk}"
            f" (Lists of pupil accounts > {division}), or 'Notify accounts' > {division} with the state « Utilisé »."
        )


def _refusal_and_slip(context: DemoContext, head, school: Establishment) -> None:
    """A child refused by his representative (recorded as the head would, audit-logged) and a
    notified representative whose letter ends with the refusal slip, both in the head's school."""
    pupils = Pupil.objects.filter(establishment=school, left_at__isnull=True, accounts__kind=AccountKind.PUPIL)
    refused = pupils.filter(services_refused=True).order_by("jointure").first()
    if refused is None:
        refused = pupils.order_by("jointure").first()
        if refused is None:
            return
        refusals.set_refusal(head, refused.accounts.get(kind=AccountKind.PUPIL), f"pupil:{refused.pk}", True)
    pupil_account = refused.accounts.get(kind=AccountKind.PUPIL)
    parent = (
        Account.objects.filter(
            kind=AccountKind.REPRESENTATIVE,
            representatives__links__pupil__establishment=school,
            representatives__services_refused=False,
            state__in=[AccountState.NOTIFIED, AccountState.NOT_NOTIFIED],
        )
        .distinct()
        .order_by("-state", "identifier")  # a notified one first: its letter prints its password
        .first()
    )
    if parent is not None and parent.state == AccountState.NOT_NOTIFIED:
        lifecycle.notify(parent)
    admin = f"{context.base_url}/admin/cas_educonnect/account"
    lines = [
        f"Refusal: {refused} ({pupil_account.identifier}), follow-up services refused by a representative:",
        f"  {admin}/{pupil_account.pk}/change/ shows « Accès aux téléservices : refusé » (restore it there)",
    ]
    if parent is not None:
        lines.append(f"Letter with its refusal slip (representative {parent.identifier}): {admin}/{parent.pk}/letter/")
    context.notes.append("\n".join(lines))

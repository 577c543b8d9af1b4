"""Users and services of the load test, written into the bench database.

Run as ``python -m bench.load.fixtures USERS`` with ``DJANGO_SETTINGS_MODULE=bench.load.settings``
(after ``migrate``); ``bench/sso.py`` makes one user of each kind with the same functions.
Stock: Django users ``stock0..`` with names, an email and 3 groups, two ServicePatterns
releasing 5 attributes with one value rewrite and one filter (the setup of django-cas-server's
own measurements). Ours: representatives ``parent0..``, each with 4 children in 2 schools, two
ServicePatterns releasing 5 attributes, FrEduVecteur among them.
"""

from __future__ import annotations

import sys

PASSWORD = "load-test-password-2026"
STOCK_SERVICES = ["https://stock-a.example.org/", "https://stock-b.example.org/"]
OUR_SERVICES = ["https://ent-a.example.org/", "https://ent-b.example.org/"]


def service(url: str, names: dict[str, str], rewrite: tuple[str, str, str], filter_: tuple[str, str]) -> None:
    from cas_server.models import FilterAttributValue, ReplaceAttributName, ReplaceAttributValue, ServicePattern

    pattern = ServicePattern.objects.create(name=url, pattern="^" + url.replace(".", r"\."), pos=10)
    for name, replace in names.items():
        ReplaceAttributName.objects.create(service_pattern=pattern, name=name, replace=replace)
    ReplaceAttributValue.objects.create(
        service_pattern=pattern, attribut=rewrite[0], pattern=rewrite[1], replace=rewrite[2]
    )
    FilterAttributValue.objects.create(service_pattern=pattern, attribut=filter_[0], pattern=filter_[1])


def stock_users(count: int, password_hash: str, services: list[str] = STOCK_SERVICES) -> list[str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    groups = [Group.objects.create(name=name) for name in ("staff", "devs", "ops")]
    names = []
    for i in range(count):
        user = get_user_model().objects.create(
            username=f"stock{i}", email=f"stock{i}@example.org", first_name="Alice", last_name="Liddell"
        )
        user.password = password_hash
        user.save(update_fields=["password"])
        user.groups.set(groups)
        names.append(user.username)
    for url in services:
        service(
            url,
            {"email": "", "first_name": "givenName", "last_name": "sn", "groups": "", "username": "uid"},
            ("email", "@example.org$", "@example.net"),
            ("groups", "^staff$"),
        )
    return names


def our_users(count: int, password_hash: str, services: list[str] = OUR_SERVICES) -> list[str]:
    from cas_educonnect.models import Account, AccountKind, AccountState, Establishment, Pupil, Representative

    schools = [
        Establishment.objects.create(uai="0790031E", jointure="S1", name="Collège", degree="2D", academy_code="DEMO"),
        Establishment.objects.create(uai="0790001A", jointure="S2", name="École", degree="1D", academy_code="DEMO"),
    ]
    names = []
    for n in range(count):
        rep = Representative.objects.create(jointure=f"R{n}", last_name="Martin", first_name=f"Paul{n}", title="M.")
        for i in range(4):
            pupil = Pupil.objects.create(
                jointure=f"E{n}-{i}",
                struct_id=f"70{n:03d}{i}",
                last_name="Martin",
                first_name=f"Enfant{i}",
                establishment=schools[i % 2],
            )
            rep.links.create(pupil=pupil, legal=1, link_code="20")
        account = Account.objects.create(
            identifier=f"parent{n}",
            kind=AccountKind.REPRESENTATIVE,
            state=AccountState.ACTIVE,
            password=password_hash,
            email=f"parent{n}@example.org",
            email_validated=True,
        )
        account.representatives.set([rep])
        names.append(account.identifier)
    for url in services:
        service(
            url,
            {"uid": "", "sn": "", "givenName": "", "mail": "email", "FrEduVecteur": ""},
            ("mail", "@example.org$", "@example.net"),
            ("FrEduCtPersonAffiliation", "^resp"),
        )
    return names


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    count = int(sys.argv[1])
    password_hash = make_password(PASSWORD)  # the project's first hasher (Argon2), hashed once
    stock_users(count, password_hash)
    our_users(count, password_hash)
    print(f"fixtures users={count}")


if __name__ == "__main__":
    main()

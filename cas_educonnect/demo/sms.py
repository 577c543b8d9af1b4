"""Demo step: a parent known by his mobile, with children in two schools, who has no account yet.

He registers through "Je n'ai pas d'identifiant"; with the console backend the code is printed
on the server console. Re-running the demo resets him (his SMS-made account is removed) so
the walk-through can be repeated.
"""

from __future__ import annotations

import datetime

from cas_educonnect.demo import DemoContext
from cas_educonnect.models import Account, Establishment, Pupil, Representative, RepresentativeLink
from cas_educonnect.routes.sms import counters
from cas_educonnect.routes.sms.models import CodeChallenge
from cas_educonnect.routes.sms.phone import hash_number

MOBILE = "+33612345678"
PARENT = {"jointure": "DEMO-SMS-RES-1", "title": "Mme", "first_name": "Sophie", "last_name": "Lambert"}
SCHOOLS = [
    {"uai": "0999001S", "jointure": "DEMO-SMS-ETAB-1", "name": "Collège des Tilleuls (démo SMS)"},
    {"uai": "0999002S", "jointure": "DEMO-SMS-ETAB-2", "name": "Lycée du Port (démo SMS)"},
]
CHILDREN = [
    {"jointure": "DEMO-SMS-ELV-1", "first_name": "Hugo", "birth_date": datetime.date(2012, 3, 14), "school": 0},
    {"jointure": "DEMO-SMS-ELV-2", "first_name": "Chloé", "birth_date": datetime.date(2008, 9, 2), "school": 1},
]


def run(context: DemoContext) -> None:
    schools = []
    for school in SCHOOLS:
        row, _ = Establishment.objects.update_or_create(
            jointure=school["jointure"], defaults={"uai": school["uai"], "name": school["name"]}
        )
        schools.append(row)
    # One representative record per school, as the AAF export gives them.
    for index, child in enumerate(CHILDREN):
        pupil, _ = Pupil.objects.update_or_create(
            jointure=child["jointure"],
            defaults={
                "struct_id": f"99{index + 1:04d}",
                "last_name": PARENT["last_name"],
                "first_name": child["first_name"],
                "birth_date": child["birth_date"],
                "establishment": schools[child["school"]],
                "left_at": None,
            },
        )
        rep, _ = Representative.objects.update_or_create(
            jointure=f"{PARENT['jointure']}-{index + 1}",
            defaults={**{k: v for k, v in PARENT.items() if k != "jointure"}, "mobile": MOBILE},
        )
        RepresentativeLink.objects.update_or_create(
            representative=rep, pupil=pupil, defaults={"link_code": "10", "legal": 1, "closed_at": None}
        )
    # Repeatable walk-through: forget a previous registration and today's SMS counters.
    Account.objects.filter(representatives__jointure__startswith=PARENT["jointure"]).delete()
    counters.number_cap(hash_number(MOBILE)).reset()
    CodeChallenge.objects.filter(number_hash=hash_number(MOBILE)).delete()
    dates = ", ".join(f"{c['first_name']} {c['birth_date']:%d/%m/%Y}" for c in CHILDREN)
    context.notes.append(
        "SMS self-registration (Je n'ai pas d'identifiant): "
        f"nom {PARENT['last_name']}, prénom {PARENT['first_name']}, mobile 06 12 34 56 78; "
        f"the code is printed on the server console; birth dates: {dates}."
    )

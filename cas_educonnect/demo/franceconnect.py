"""Demo step: a family for the FranceConnect route, matching the local provider's test identity.

The local provider (``tests/franceconnect/fc_provider.mjs``, see README) logs everyone in as
FranceConnect's sample user Angela Claire Louise DUBOIS; this step puts her in the directory
as a representative with a mobile number and a child, so the first link can be tried offline.
"""

from __future__ import annotations

import datetime

from cas_educonnect.demo import DemoContext
from cas_educonnect.models import Establishment, Pupil, Representative, RepresentativeLink
from cas_educonnect.routes.franceconnect.models import FranceConnectLink

MOBILE = "+33600000042"
CHILD_BIRTH_DATE = datetime.date(2013, 4, 12)


def run(context: DemoContext) -> None:
    school, _ = Establishment.objects.get_or_create(
        uai="0759999F",
        defaults={"jointure": "DEMO-FC-STR", "name": "Collège FranceConnect (démo)", "academy_code": "DEMO"},
    )
    child, _ = Pupil.objects.update_or_create(
        jointure="DEMO-FC-ELV",
        defaults={
            "struct_id": "9042001",
            "last_name": "Dubois",
            "first_name": "Léa",
            "birth_date": CHILD_BIRTH_DATE,
            "establishment": school,
            "ine": "0000000042F",
        },
    )
    parent, _ = Representative.objects.get_or_create(
        jointure="DEMO-FC-RES",
        defaults={"title": "Mme", "last_name": "Dubois", "first_name": "Angela", "mobile": MOBILE},
    )
    RepresentativeLink.objects.get_or_create(representative=parent, pupil=child, defaults={"link_code": "10"})
    # Every run starts the first link again: the sample user's link of a previous walk is removed.
    FranceConnectLink.objects.filter(account__representatives=parent).delete()
    context.notes.append(
        "FranceConnect (offline): run `make franceconnect-provider` in another terminal, then "
        "'Élèves ou parents' > 'S'identifier avec FranceConnect'. First time: mobile 06 00 00 00 42 "
        f"(the SMS code is printed on the server console), Léa's birth date {CHILD_BIRTH_DATE:%d/%m/%Y}."
    )

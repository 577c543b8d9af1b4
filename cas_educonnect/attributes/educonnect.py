"""EduConnect-era attributes: ``FrEduCt*``, ``sn`` and ``givenName``.

``FrEduCtId`` is an HMAC-SHA384 (96 hex digits, the shape EduConnect sends) of the
account's primary key under ``CAS_EDUCONNECT_OPAQUE_ID_KEY``: stable for the account,
useless to anyone without the key, and never derived from public data (INE, names).
"""

from __future__ import annotations

import hashlib
import hmac

from django.utils.crypto import salted_hmac

from cas_educonnect.attributes.base import AttributeProvider
from cas_educonnect.attributes.subject import PUPIL, Subject
from cas_educonnect.conf import settings


def opaque_id(account_pk: int) -> str:
    """The account's ``FrEduCtId``."""
    key = settings.CAS_EDUCONNECT_OPAQUE_ID_KEY
    message = f"FrEduCtId:{account_pk}"
    if not key:  # checks.py warns: rotating SECRET_KEY would then change every id
        return salted_hmac("cas_educonnect.FrEduCtId", message, algorithm="sha384").hexdigest()
    return hmac.new(key.encode(), message.encode(), hashlib.sha384).hexdigest()


def academy_code() -> str:
    return settings.CAS_EDUCONNECT_ACADEMY_CODE


class EduConnectProvider(AttributeProvider):
    """Affiliation, references to the AAF identities, opaque id, pupil school and birth date, names."""

    def attributes(self, subject: Subject, service: str | None = None) -> dict[str, list[str]]:
        affiliations: list[str] = []
        ref_ids: list[str] = []
        uais: list[str] = []
        birth_dates: list[str] = []
        last_names: list[str] = []
        first_names: list[str] = []
        prefix = f"{{AAF}}{academy_code()}|{settings.CAS_EDUCONNECT_REFID_SOURCE}|"
        for person in subject.persons:
            role = "eleve" if person.role == PUPIL else "resp"
            for child in person.children:
                _add(affiliations, f"{role}{'1d' if child.degree == '1D' else '2d'}")
                if person.role == PUPIL:
                    _add(uais, child.uai)
            for jointure in person.jointures:
                _add(ref_ids, prefix + jointure)
            if person.birth_date is not None:
                _add(birth_dates, person.birth_date.isoformat())
            _add(last_names, person.last_name)
            _add(first_names, person.first_name)
        opaque = opaque_id(subject.pk)
        return {
            "FrEduCtPersonAffiliation": affiliations,
            "FrEduCtRefId": [*ref_ids, f"{{ECT}}{opaque}"],
            "FrEduCtId": [opaque],
            "FrEduCtEleveUAI": uais,
            "FrEduCtDateNaissance": birth_dates,
            "sn": last_names,
            "givenName": first_names,
        }


def _add(values: list[str], value: str) -> None:
    if value and value not in values:
        values.append(value)

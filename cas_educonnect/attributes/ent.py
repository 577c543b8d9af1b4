"""ENT conventions: ``ENTPersonJointure``, ``ENTPersonProfils``, ``mail`` and the legacy login."""

from __future__ import annotations

from cas_educonnect.attributes.base import AttributeProvider
from cas_educonnect.attributes.subject import PUPIL, Subject
from cas_educonnect.conf import settings

PROFILE_PUPIL = "National_1"
PROFILE_REPRESENTATIVE = "National_2"


def jointure_academy() -> str:
    return (settings.CAS_EDUCONNECT_ENT_ACADEMY or settings.CAS_EDUCONNECT_ACADEMY_CODE).upper()


class EntProvider(AttributeProvider):
    """What ENTs key accounts on (``AC-<ACADEMY>$<jointure>``), the SDET profile, the checked email."""

    def attributes(self, subject: Subject, service: str | None = None) -> dict[str, list[str]]:
        jointures: list[str] = []
        profiles: list[str] = []
        for person in subject.persons:
            for jointure in person.jointures:
                value = f"AC-{jointure_academy()}${jointure}"
                if value not in jointures:
                    jointures.append(value)
            profile = PROFILE_PUPIL if person.role == PUPIL else PROFILE_REPRESENTATIVE
            if profile not in profiles:
                profiles.append(profile)
        result = {"ENTPersonJointure": jointures, "ENTPersonProfils": profiles}
        if subject.email and subject.email_validated:
            result["mail"] = [subject.email]
        name = settings.CAS_EDUCONNECT_LEGACY_IDENTIFIER_ATTRIBUTE
        if name and subject.legacy_identifier:
            result[name] = [subject.legacy_identifier]
        return result

"""The account's own identity: its login identifier, as services know it."""

from __future__ import annotations

from cas_educonnect.attributes.base import AttributeProvider
from cas_educonnect.attributes.subject import Subject


class IdentityProvider(AttributeProvider):
    """``uid``: the CAS user (the identifier; a legacy account's historical spelling)."""

    def attributes(self, subject: Subject, service: str | None = None) -> dict[str, list[str]]:
        return {"uid": [subject.cas_username]}

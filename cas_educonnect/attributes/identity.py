"""The account's own identity: its login identifier."""

from __future__ import annotations

from .base import AttributeProvider
from .subject import Subject


class IdentityProvider(AttributeProvider):
    """``uid``: the account identifier (also the CAS user)."""

    def attributes(self, subject: Subject, service: str | None = None) -> dict[str, list[str]]:
        return {"uid": [subject.identifier]}

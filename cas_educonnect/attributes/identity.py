"""Basic identity attributes: the CAS user and the account holder's names."""

from __future__ import annotations

from ..models import Account
from .base import AttributeProvider


class IdentityProvider(AttributeProvider):
    def attributes(self, account: Account, service: str | None = None) -> dict[str, list[str]]:
        person = account.representatives.first() or account.pupils.first()
        result = {"uid": [account.identifier]}
        if person is not None:
            result["sn"] = [person.last_name]
            if person.first_name:
                result["givenName"] = [person.first_name]
        return result

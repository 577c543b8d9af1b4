"""Contract of an attribute provider."""

from __future__ import annotations

from ..models import Account


class AttributeProvider:
    """Computes some attributes of an account.

    ``attributes()`` returns ``{name: [value, ...]}`` with XML-safe names and string values;
    ``release()`` merges the providers in the order of ``CAS_EDUCONNECT_ATTRIBUTE_PROVIDERS``.
    """

    def attributes(self, account: Account, service: str | None = None) -> dict[str, list[str]]:
        raise NotImplementedError

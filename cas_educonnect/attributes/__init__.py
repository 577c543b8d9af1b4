"""Attribute release: what a CAS service receives about an account."""

from __future__ import annotations

from django.utils.module_loading import import_string

from ..conf import settings
from ..models import Account, AccountState
from .base import AttributeProvider


def get_providers() -> list[AttributeProvider]:
    return [import_string(path)() for path in settings.CAS_EDUCONNECT_ATTRIBUTE_PROVIDERS]


def release(username: str, service: str | None = None) -> dict[str, list[str]]:
    """The attributes of the account ``username``: fresh lists of strings, ``{}`` if unknown."""
    account = Account.objects.exclude(state=AccountState.CLOSED).filter(identifier=username).first()
    if account is None:
        return {}
    result: dict[str, list[str]] = {}
    for provider in get_providers():
        for name, values in provider.attributes(account, service).items():
            result.setdefault(name, []).extend(str(v) for v in values)
    return result

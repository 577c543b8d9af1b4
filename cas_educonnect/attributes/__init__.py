"""Attribute release: what a CAS service receives about an account.

:func:`release` is the single computation behind every login route: the CAS auth class,
the ``educonnect_release`` command and the staff "simulate access" page all call it.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from cas_educonnect.attributes import cache
from cas_educonnect.attributes.base import ATTRIBUTE_NAME, AttributeProvider
from cas_educonnect.attributes.subject import Subject, load_subject
from cas_educonnect.conf import settings

logger = logging.getLogger(__name__)

# Characters XML 1.0 cannot carry, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@lru_cache(maxsize=1)
def _provider_classes(paths: tuple[str, ...]) -> tuple[type[AttributeProvider], ...]:
    return tuple(import_string(path) for path in paths)


def get_providers() -> list[AttributeProvider]:
    """The configured providers, in order."""
    return [cls() for cls in _provider_classes(tuple(settings.CAS_EDUCONNECT_ATTRIBUTE_PROVIDERS))]


def _reset(*, setting: str, **kwargs) -> None:
    if setting == "CAS_EDUCONNECT_ATTRIBUTE_PROVIDERS":
        _provider_classes.cache_clear()


setting_changed.connect(_reset, dispatch_uid="cas_educonnect.attributes.reset_providers")


def compute(subject: Subject, service: str | None = None) -> dict[str, list[str]]:
    """Merge the providers' attributes for ``subject`` (names checked, values cleaned)."""
    result: dict[str, list[str]] = {}
    for provider in get_providers():
        for name, values in provider.attributes(subject, service).items():
            if not ATTRIBUTE_NAME.match(name):
                logger.error("Attribute %r of %s dropped: not an XML name", name, type(provider).__name__)
                continue
            result.setdefault(name, []).extend(_INVALID_XML.sub("", str(v)) for v in values)
    return {name: values for name, values in result.items() if values}


def release(
    username: str, service: str | None = None, person: str | None = None, strict: bool = False
) -> dict[str, list[str]]:
    """The attributes of the account ``username``: fresh lists of strings, ``{}`` if unknown.

    ``person`` restricts a multi-person account to one person (the profile chosen at login).
    Without it, ``strict`` (the CAS host's case) withholds person-specific attributes of an
    account whose user must choose; otherwise every person is released (operators' view).
    """
    subject = load_subject(username)
    if subject is None:
        return {}
    key = ("release", subject.identifier, service, person, strict)
    computed = cache.cached(key, lambda: compute(subject.scoped(person, strict=strict), service))
    # Fresh lists every time: the host rewrites lists in place (ReplaceAttributValue).
    return {name: list(values) for name, values in computed.items()}

"""What one service receives: ``release()`` passed through the service's host rules.

The host (``cas_server.models.User.get_ticket``) keeps only the attributes named by the
pattern's ``ReplaceAttributName`` rows (``*`` = all), renames them, and rewrites values with
``ReplaceAttributValue``. This mirrors it for operators (``educonnect_release --service``)
and for the staff "simulate access" page, so what they see is what the service gets.
"""

from __future__ import annotations

import re

from cas_server.models import ServicePattern

from cas_educonnect.attributes import release
from cas_educonnect.attributes.access import follow_up_denial, service_denial
from cas_educonnect.attributes.subject import load_subject


def apply_service_rules(attributes: dict[str, list[str]], pattern: ServicePattern) -> dict[str, list[str]]:
    """``attributes`` filtered, renamed and rewritten as the host does for ``pattern``."""
    names = {a.name: a.replace or a.name for a in pattern.attributs.all()}
    replacements = {a.attribut: (a.pattern, a.replace) for a in pattern.replacements.all()}
    result: dict[str, list[str]] = {}
    for key, values in attributes.items():
        if key in names or "*" in names:
            if key in replacements:
                values = [re.sub(replacements[key][0], replacements[key][1], v) for v in values]
            result[names.get(key, key)] = list(values)
    return result


def service_release(username: str, service: str, person: str | None = None) -> tuple[dict[str, list[str]], str]:
    """(attributes the service at URL ``service`` receives, reason it gets none or '').

    Raises ``ServicePattern.DoesNotExist`` if no pattern matches ``service``.
    """
    pattern = ServicePattern.validate(service)
    subject = load_subject(username)
    if subject is None:
        return {}, "unknown account"
    if subject.refused:
        return {}, "the holder refused the service: no login"
    scoped = subject.scoped(person, strict=False)
    if follow_up_denial(scoped, service) is not None:
        return {}, "follow-up services refused for this pupil"
    denied = service_denial(scoped, service)
    if denied is not None:
        return {}, denied.message
    return apply_service_rules(release(username, service, person=person), pattern), ""

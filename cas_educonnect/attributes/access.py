"""Which services a person may reach: the follow-up refusal, then pluggable access policies.

- A pupil whose representative refused online services (``Pupil.services_refused``) gets
  no ticket for a national follow-up service (``ServiceCategory.FOLLOW_UP``); every other
  service still works.
- A service's profile limits it to an audience (pupils only, representatives only) and an
  experimental academic service to the schools it is tried in (:func:`profile_denial`).
- Each dotted path of ``CAS_EDUCONNECT_SERVICE_ACCESS_POLICIES`` is
  ``policy(subject, pattern) -> str | None``: a message telling the person why the service
  is refused, or None. The staff app's school closure (``staff.closure``) is one: it lives
  with the school settings it reads, above this layer, so it is reached by its path.

The login view and ``/proxy`` apply :func:`service_denial` (``cas_educonnect.login``), the
operators' ``educonnect_release --service`` and the staff simulation show it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cas_server.models import ServicePattern
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cas_educonnect.attributes.subject import PUPIL, REPRESENTATIVE, Subject
from cas_educonnect.conf import settings
from cas_educonnect.models import ServiceAudience, ServiceCategory, ServiceProfile

AccessPolicy = Callable[[Subject, ServicePattern], "str | None"]

# Packages that are optional apps: a policy inside one is skipped when it is not installed.
OPTIONAL_APPS = ("cas_educonnect.staff",)


@dataclass(frozen=True)
class Denial:
    """A refused service and what the person is told."""

    pattern: ServicePattern
    message: str


def follow_up_denial(subject: Subject, service: str | None) -> ServicePattern | None:
    """The follow-up service ``service`` when ``subject`` (already scoped) may not use it, else None.

    Only queries the service's category when a pupil in scope has refused services.
    """
    if not service or not any(p.role == PUPIL and p.services_refused for p in subject.persons):
        return None
    try:
        pattern = ServicePattern.validate(service)
    except ServicePattern.DoesNotExist:
        return None  # the host answers "service not allowed"
    if ServiceProfile.objects.filter(service_pattern=pattern, category=ServiceCategory.FOLLOW_UP).exists():
        return pattern
    return None


def service_profile(pattern: ServicePattern) -> ServiceProfile | None:
    """The pattern's profile: loaded with the memoized patterns (``host.patterns``), no query."""
    try:
        return pattern.educonnect
    except ObjectDoesNotExist:
        return None


def profile_denial(subject: Subject, pattern: ServicePattern) -> str | None:
    """The message when the service's audience or experimental schools leave ``subject`` out.

    No query on the hot path (the profile comes with the pattern); one for an experimental service.
    """
    profile = service_profile(pattern)
    if profile is None:
        return None
    roles = {person.role for person in subject.persons}
    if profile.audience == ServiceAudience.REPRESENTATIVES and REPRESENTATIVE not in roles:
        return _("%(name)s is reserved for legal representatives. Other services remain available.") % {
            "name": pattern.name
        }
    if profile.audience == ServiceAudience.PUPILS and PUPIL not in roles:
        return _("%(name)s is reserved for pupils. Other services remain available.") % {"name": pattern.name}
    if profile.experimental:
        schools = {child.uai for person in subject.persons for child in person.children if child.uai}
        if not profile.experimental_schools.filter(uai__in=schools).exists():
            return _("%(name)s is not offered in your school. Other services remain available.") % {
                "name": pattern.name
            }
    return None


def _installed(path: str) -> bool:
    return all(apps.is_installed(app) for app in OPTIONAL_APPS if path.startswith(app + "."))


def access_policies() -> list[AccessPolicy]:
    """The configured policies, without those of optional apps that are not installed."""
    return [import_string(path) for path in settings.CAS_EDUCONNECT_SERVICE_ACCESS_POLICIES if _installed(path)]


def service_denial(subject: Subject, service: str | None) -> Denial | None:
    """Why ``subject`` (already scoped) may not use ``service``, or None when he may."""
    pattern = follow_up_denial(subject, service)
    if pattern is not None:
        message = _(
            "Online follow-up services were refused for this pupil by a legal representative: "
            "%(name)s is not available. Other services remain available."
        ) % {"name": pattern.name}
        return Denial(pattern, message)
    if not service:
        return None
    try:
        pattern = ServicePattern.validate(service)
    except ServicePattern.DoesNotExist:
        return None
    for policy in [profile_denial, *access_policies()]:
        message = policy(subject, pattern)
        if message:
            return Denial(pattern, message)
    return None

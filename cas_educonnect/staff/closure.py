"""The access policy of « Services en ligne »: a service a school closed gives no ticket to its persons.

Listed in ``CAS_EDUCONNECT_SERVICE_ACCESS_POLICIES`` (``attributes.access``), since the login
sits below the staff app. The rules:

- only services a school manages (``models.school_managed``: not the ENT nor academic
  services, not mandatory ones) can be closed;
- a person is refused when *every* school of the persons in scope closed the service (a
  row with ``is_open=False``): a parent with children in an open and a closed school keeps
  the service, which one of his schools offers him;
- a school that never set a service does not refuse it (the portal does not list it, but
  rolling the settings out must not cut a service in use);
- an experimental academic service is the listed schools' to close (``models.school_managed``).

:func:`missing_siecle_module` is the second policy: a service needing a SIECLE module no
school in scope uses.

The closures (a few rows a school changes a few times a year, read at every ticket) are kept
in each process in a :class:`~cas_educonnect.core.memo.SharedMemo`: a save or delete of a
school's service setting or of a service profile writes a new shared version, seen at once by
the process that made it and within a second by the others; the memo is never older than
``CAS_EDUCONNECT_SCHOOL_CLOSURE_CACHE_SECONDS`` (0: one query per ticket).
"""

from __future__ import annotations

from collections import defaultdict

from cas_server.models import ServicePattern
from django.db.models.signals import post_delete, post_save
from django.utils.translation import ngettext

from cas_educonnect.attributes.access import service_profile
from cas_educonnect.attributes.subject import Subject
from cas_educonnect.conf import settings
from cas_educonnect.core.memo import SharedMemo
from cas_educonnect.models import NOT_SCHOOL_MANAGED, ServiceProfile
from cas_educonnect.staff.models import SchoolServiceSetting, SchoolSettings

VERSION_KEY = "cas_educonnect:school-closures:version"


def _closed_settings():
    """The ``is_open=False`` rows a school may set: not the ENT nor academic services (but the
    experimental ones its school is listed for), not mandatory ones."""
    return (
        SchoolServiceSetting.objects.filter(is_open=False)
        .exclude(
            service_pattern__educonnect__category__in=NOT_SCHOOL_MANAGED,
            service_pattern__educonnect__experimental=False,
        )
        .exclude(service_pattern__educonnect__mandatory=True)
    )


def _load() -> dict[int, frozenset[str]]:
    closed: dict[int, set[str]] = defaultdict(set)
    for pattern_id, uai in _closed_settings().values_list("service_pattern_id", "establishment__uai"):
        closed[pattern_id].add(uai)
    return {pattern_id: frozenset(uais) for pattern_id, uais in closed.items()}


memo: SharedMemo[dict[int, frozenset[str]]] = SharedMemo(
    VERSION_KEY, _load, lambda: settings.CAS_EDUCONNECT_SCHOOL_CLOSURE_CACHE_SECONDS
)


def closed_schools(pattern: ServicePattern) -> frozenset[str]:
    """The UAIs of the schools that closed ``pattern`` (no query while the memo holds)."""
    return memo.get().get(pattern.pk, frozenset())


def school_closure(subject: Subject, pattern: ServicePattern) -> str | None:
    """The French message when every school of ``subject`` closed ``pattern``, else None."""
    schools = {child.uai: child.school_name for person in subject.persons for child in person.children if child.uai}
    if not schools:
        return None
    closed = closed_schools(pattern) & schools.keys()
    if closed != set(schools):
        return None
    names = ", ".join(sorted(schools[uai] or uai for uai in closed))
    return ngettext(
        "%(schools)s has closed the online service %(name)s. Other services remain available.",
        "%(schools)s have closed the online service %(name)s. Other services remain available.",
        len(closed),
    ) % {"schools": names, "name": pattern.name}


def invalidate(**kwargs) -> None:
    """Forget the closures here and, through a new shared version, in every other process."""
    memo.invalidate()


def connect() -> None:
    """Forget the closures whenever a school's service setting or a service profile changes (idempotent).

    Called by the staff app's ``ready()``. An establishment's UAI changing is left to the
    memo's age bound (the AAF import writes establishments in bulk, sending no signal).
    """
    for model in (SchoolServiceSetting, ServiceProfile):
        for signal in (post_save, post_delete):
            signal.connect(invalidate, sender=model, dispatch_uid=f"educonnect_staff-closures-{model.__name__}")


def missing_siecle_module(subject: Subject, pattern: ServicePattern) -> str | None:
    """The French message when no school of ``subject`` uses the SIECLE module ``pattern`` needs.

    « Consultation des notes » works only in a school that uses SIECLE Notes [004 §2.1]:
    its page greys the service elsewhere, and the persons of those schools get no ticket.
    """
    module = getattr(service_profile(pattern), "siecle_module", "")
    if not module:
        return None
    schools = {child.uai: child.school_name for person in subject.persons for child in person.children if child.uai}
    if not schools:
        return None
    used = SchoolSettings.objects.filter(establishment__uai__in=schools).values_list("siecle_modules", flat=True)
    if any(module in (modules or ()) for modules in used):
        return None
    names = ", ".join(sorted(name or uai for uai, name in schools.items()))
    return ngettext(
        "%(schools)s does not use the SIECLE module %(name)s needs. Other services remain available.",
        "%(schools)s do not use the SIECLE module %(name)s needs. Other services remain available.",
        len(schools),
    ) % {"schools": names, "name": pattern.name}

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
"""

from __future__ import annotations

from cas_server.models import ServicePattern
from django.utils.translation import ngettext

from cas_educonnect.attributes.access import service_profile
from cas_educonnect.attributes.subject import Subject
from cas_educonnect.models import NOT_SCHOOL_MANAGED
from cas_educonnect.staff.models import SchoolServiceSetting, SchoolSettings


def school_closure(subject: Subject, pattern: ServicePattern) -> str | None:
    """The French message when every school of ``subject`` closed ``pattern``, else None (one query)."""
    schools = {child.uai: child.school_name for person in subject.persons for child in person.children if child.uai}
    if not schools:
        return None
    closed = set(
        SchoolServiceSetting.objects.filter(service_pattern=pattern, is_open=False, establishment__uai__in=schools)
        .exclude(
            service_pattern__educonnect__category__in=NOT_SCHOOL_MANAGED,
            service_pattern__educonnect__experimental=False,
        )
        .exclude(service_pattern__educonnect__mandatory=True)
        .values_list("establishment__uai", flat=True)
    )
    if closed != set(schools):
        return None
    names = ", ".join(sorted(schools[uai] or uai for uai in closed))
    return ngettext(
        "%(schools)s has closed the online service %(name)s. Other services remain available.",
        "%(schools)s have closed the online service %(name)s. Other services remain available.",
        len(closed),
    ) % {"schools": names, "name": pattern.name}


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

"""The access policy of « Services en ligne »: a service a school closed gives no ticket to its persons.

Listed in ``CAS_EDUCONNECT_SERVICE_ACCESS_POLICIES`` (``attributes.access``), since the login
sits below the staff app. The rules:

- only services a school manages (``models.school_managed``: not the ENT nor academic
  services, not mandatory ones) can be closed;
- a person is refused when *every* school of the persons in scope closed the service (a
  row with ``is_open=False``): a parent with children in an open and a closed school keeps
  the service, which one of his schools offers him;
- a school that never set a service does not refuse it (the portal does not list it, but
  rolling the settings out must not cut a service in use).
"""

from __future__ import annotations

from cas_server.models import ServicePattern
from django.utils.translation import ngettext

from cas_educonnect.attributes.subject import Subject
from cas_educonnect.models import NOT_SCHOOL_MANAGED
from cas_educonnect.staff.models import SchoolServiceSetting


def school_closure(subject: Subject, pattern: ServicePattern) -> str | None:
    """The French message when every school of ``subject`` closed ``pattern``, else None (one query)."""
    schools = {child.uai: child.school_name for person in subject.persons for child in person.children if child.uai}
    if not schools:
        return None
    closed = set(
        SchoolServiceSetting.objects.filter(service_pattern=pattern, is_open=False, establishment__uai__in=schools)
        .exclude(service_pattern__educonnect__category__in=NOT_SCHOOL_MANAGED)
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

"""Which services a person may reach: the follow-up refusal of a pupil's representative.

A pupil whose representative refused online services (``Pupil.services_refused``) gets no
ticket for a national follow-up service (``ServiceCategory.FOLLOW_UP``); every other
service still works. The login view and ``/proxy`` apply it (``cas_educonnect.login``), the
operators' ``educonnect_release --service`` and the staff simulation show it.
"""

from __future__ import annotations

from cas_server.models import ServicePattern

from cas_educonnect.attributes.subject import PUPIL, Subject
from cas_educonnect.models import ServiceCategory, ServiceProfile


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

"""The portal shown to a logged-in person without a service ("Scolarité services"): the
online services open for him in each of his schools, with the school's welcome message,
useful links and contact. Each service link goes through CAS (``/cas/login?service=``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from cas_educonnect.models import Account, AccountState, Establishment
from cas_educonnect.staff.models import LetterType, SchoolSettings, UsefulLink
from cas_educonnect.staff.services import service_url, services_for_account


@dataclass
class PortalSchool:
    school: Establishment
    services: list[dict] = field(default_factory=list)
    welcome: str = ""
    links: list[UsefulLink] = field(default_factory=list)
    contact: str = ""
    ent_url: str = ""


def portal_for(username: str) -> list[PortalSchool]:
    """What the portal shows to ``username``; empty for unknown or closed accounts."""
    # A legacy account's CAS user keeps its historical spelling; identifiers are lowercase.
    identifier = username.strip().lower()
    account = Account.objects.exclude(state=AccountState.CLOSED).filter(identifier=identifier).first()
    if account is None:
        return []
    login = reverse("cas_server:login")
    result = []
    for school, services in services_for_account(account):
        settings = SchoolSettings.objects.filter(establishment=school).first()
        entry = PortalSchool(school, links=list(UsefulLink.objects.filter(establishment=school)))
        for service in services:
            url = service_url(service)
            if url:
                entry.services.append({"name": service.name, "href": f"{login}?{urlencode({'service': url})}"})
        if settings is not None:
            entry.welcome = settings.welcome_message
            if settings.contact_active:
                entry.contact = settings.contact_email or school.email
            if settings.letter_type in (LetterType.MIXED, LetterType.ENT_ONLY):
                # « Mixte »: the letters give the portal, which links the ENT (004 §2.8).
                entry.ent_url = settings.ent_url or school.ent_url
        result.append(entry)
    return result

"""Which online services are open where, and for whom (portal, access simulation)."""

from __future__ import annotations

from cas_server.models import ServicePattern
from django.db.models import Q

from cas_educonnect.models import (
    NOT_SCHOOL_MANAGED,
    Account,
    AccountKind,
    Establishment,
    ServiceAudience,
    ServiceCategory,
)
from cas_educonnect.staff.models import SchoolServiceSetting
from cas_educonnect.staff.scoping import account_establishments


def open_services(establishment: Establishment) -> list[ServicePattern]:
    """Services open in ``establishment``: opened by the school, mandatory, or not the school's to
    open or close (the ENT and academic services: ``models.NOT_SCHOOL_MANAGED``)."""
    opened = SchoolServiceSetting.objects.filter(establishment=establishment, is_open=True).values("service_pattern")
    return list(
        ServicePattern.objects.filter(
            Q(pk__in=opened)
            | Q(educonnect__mandatory=True)
            # An experimental academic service is open only where a listed school opened it.
            | Q(educonnect__category__in=NOT_SCHOOL_MANAGED, educonnect__experimental=False)
        )
        .select_related("educonnect")
        .order_by("pos", "name")
    )


def refused_follow_up(account: Account) -> bool:
    """Whether follow-up services are refused for (all) the pupils this account covers."""
    pupils = list(account.pupils.all()) or [
        link.pupil for rep in account.representatives.all() for link in rep.links.all()
    ]
    return bool(pupils) and all(p.services_refused for p in pupils)


def services_for_account(account: Account) -> list[tuple[Establishment, list[ServicePattern]]]:
    """The services a person sees, per school: open ones, minus follow-up ones if refused."""
    refused = refused_follow_up(account)
    # A service for the other audience is not listed (its ticket would be refused).
    other = ServiceAudience.PUPILS if account.kind == AccountKind.REPRESENTATIVE else ServiceAudience.REPRESENTATIVES
    result = []
    for school in account_establishments(account).order_by("name"):
        services = [
            s
            for s in open_services(school)
            if not (refused and getattr(getattr(s, "educonnect", None), "category", None) == ServiceCategory.FOLLOW_UP)
            and getattr(getattr(s, "educonnect", None), "audience", None) != other
        ]
        result.append((school, services))
    return result


def service_url(service: ServicePattern) -> str:
    """The address a service is reached at (its profile's URL)."""
    profile = getattr(service, "educonnect", None)
    return getattr(profile, "url", "") or ""


def set_service_open(establishment: Establishment, service: ServicePattern, is_open: bool) -> SchoolServiceSetting:
    """Open or close a service in a school; mandatory services refuse to close."""
    row = SchoolServiceSetting.objects.filter(establishment=establishment, service_pattern=service).first()
    row = row or SchoolServiceSetting(establishment=establishment, service_pattern=service)
    row.is_open = is_open
    row.full_clean(exclude=["establishment", "service_pattern"])
    row.save()
    return row

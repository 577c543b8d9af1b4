"""The routes of the profile page: the two built-in ones, then the operator's extra entries."""

from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from cas_educonnect.conf import settings
from cas_educonnect.login.portal.base import Route

EDUCONNECT = "educonnect"
LEGACY = "autres-publics"
#: The app serving the "Autres publics" entry: without it, the profile page does not offer it.
LEGACY_APP = "cas_educonnect.routes.legacy"

BUILTIN = [
    Route(
        id=EDUCONNECT,
        label=_("Pupils or parents"),
        description=_("Éducation nationale school"),
        template="cas_educonnect/portal/educonnect.html",
        aliases=("eleves-parents", "eleve", "parent", "aten", "en"),
    ),
    Route(
        id=LEGACY,
        label=_("Other users"),
        description=_("teachers, staff, partners: ENT identifier"),
        template="cas_educonnect/portal/legacy.html",
        aliases=("autres", "autrespublics", "cas", "legacy"),
    ),
]


def resolve_url(value: str) -> str:
    """A URL from a setting holding a URL name or a URL; '' if the name does not resolve."""
    if not value:
        return ""
    if value.startswith(("/", "http://", "https://")):
        return value
    try:
        return reverse(value)
    except NoReverseMatch:
        return ""


def get_routes() -> list[Route]:
    """Every route in display order (built-in, then CAS_EDUCONNECT_PORTAL_EXTRA_ENTRIES)."""
    routes = [route for route in BUILTIN if route.id != LEGACY or apps.is_installed(LEGACY_APP)]
    for entry in settings.CAS_EDUCONNECT_PORTAL_EXTRA_ENTRIES:
        routes.append(
            Route(
                id=entry["id"],
                label=entry["label"],
                description=entry.get("description", ""),
                url=resolve_url(entry["url"]),
                aliases=tuple(entry.get("aliases", ())),
            )
        )
    return routes


def find_route(value: str | None) -> Route | None:
    """The route a preselection value or cookie names (case-insensitive, aliases too)."""
    value = (value or "").strip().lower()
    if not value:
        return None
    for route in get_routes():
        if value == route.id.lower() or value in route.aliases:
            return route
    return None

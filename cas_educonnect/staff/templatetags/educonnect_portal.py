"""``{% educonnect_portal session.username as schools %}`` for the portal page."""

from __future__ import annotations

from django import template

from cas_educonnect.staff.portal import PortalSchool, portal_for

register = template.Library()


@register.simple_tag
def educonnect_portal(username: str) -> list[PortalSchool]:
    return portal_for(username or "")

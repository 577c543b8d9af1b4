"""Contract of a login route shown on the profile page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Route:
    """One entry of "Indiquez votre profil".

    ``template`` routes render a credentials form posting to the CAS login view;
    ``url`` routes (operator-configured extra entries) send the browser elsewhere with the
    CAS parameters. ``aliases`` are other values of the preselection parameter.
    """

    id: str
    label: str
    description: str = ""
    template: str = ""
    url: str = ""
    aliases: tuple[str, ...] = field(default=())

"""The FranceConnect contract: what the protocol returns and how it fails.

:class:`Identity` is all the rest of the package sees of a FranceConnect login; the
protocol code (``client.py``) either returns one whose every check passed or raises a
:class:`FranceConnectError`. ``Refused`` means the answer was wrong or hostile (state,
signature, claims...): the user is shown a refusal. ``Unavailable`` means FranceConnect
could not be reached or answered garbage: the user is told to use another route.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# eIDAS levels FranceConnect (+) knows, lowest first.
ACR_LEVELS = ("eidas1", "eidas2", "eidas3")


class FranceConnectError(Exception):
    """Base error; ``reason`` is a short English code for the logs, never shown as is."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class Refused(FranceConnectError):
    """The authentication answer failed a check: no session may be opened."""


class Unavailable(FranceConnectError):
    """FranceConnect is down, slow or misconfigured: offer the other routes."""


def acr_satisfies(returned: str | None, required: str) -> bool:
    """True when the returned ``acr`` is a known level at least ``required``.

    Unknown values are refused (FranceConnect treats unknown levels as the highest one on
    its side, but an RP can only trust what it can compare).
    """
    if returned not in ACR_LEVELS or required not in ACR_LEVELS:
        return False
    return ACR_LEVELS.index(returned) >= ACR_LEVELS.index(required)


@dataclass(frozen=True)
class Identity:
    """A verified FranceConnect identity.

    Attributes:
        sub: the subject, equal in the id_token and the userinfo.
        claims: the userinfo claims (given_name, family_name, birthdate, email...).
        acr: the eIDAS level reached.
        id_token: the raw id_token, kept in the session as ``id_token_hint`` for logout.
    """

    sub: str
    claims: dict[str, Any] = field(default_factory=dict)
    acr: str = ""
    id_token: str = ""

    @property
    def given_name(self) -> str:
        return str(self.claims.get("given_name") or "")

    @property
    def family_name(self) -> str:
        return str(self.claims.get("family_name") or "")

    @property
    def birthdate(self) -> str:
        return str(self.claims.get("birthdate") or "")

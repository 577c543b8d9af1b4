"""Which person of a multi-person account the current request releases.

The host calls the auth class with the username only, so the profile chosen at login
(kept in the SSO session, see :mod:`.choice`) reaches :func:`release` through a context
variable that the CAS login view sets around ticket issuance. The CAS user stays the
account identifier: services see one account and the chosen person's attributes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest

SESSION_KEY = "cas_educonnect_person"

_scope: ContextVar[tuple[str, str | None] | None] = ContextVar("cas_educonnect_person_scope", default=None)


@contextmanager
def person_scope(username: str, person: str | None) -> Iterator[None]:
    """Release only ``person``'s part for ``username`` inside this block."""
    token = _scope.set((username, person))
    try:
        yield
    finally:
        _scope.reset(token)


def current_person(username: str) -> str | None:
    """The person key in scope for ``username``, or None."""
    scope = _scope.get()
    return scope[1] if scope is not None and scope[0] == username else None


def chosen_person(request: HttpRequest, username: str) -> str | None:
    """The person chosen in this session for ``username``, or None."""
    choice = request.session.get(SESSION_KEY)
    if isinstance(choice, dict) and choice.get("username") == username:
        return choice.get("person")
    return None


def choose_person(request: HttpRequest, username: str, person: str) -> None:
    """Remember the choice for the whole SSO session (logout flushes the session)."""
    request.session[SESSION_KEY] = {"username": username, "person": person}

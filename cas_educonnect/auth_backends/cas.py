"""The class django-cas-server loads from ``CAS_AUTH_CLASS``.

The host builds it from the username alone, several times per request; it checks
passwords through ``django.contrib.auth.authenticate()`` (so operators can stack backends)
and releases ``cas_educonnect.attributes.release(username)``: one computation whatever the
route the person logged in by.
"""

from __future__ import annotations

from cas_server.auth import AuthUser
from django.contrib.auth import authenticate

from .. import attributes
from ..attributes.scope import current_person


class EduconnectAuthUser(AuthUser):
    """CAS auth class for EduConnect accounts."""

    def __init__(self, username: str) -> None:
        super().__init__((username or "").strip().lower())

    def test_password(self, password: str) -> bool:
        return authenticate(request=None, username=self.username, password=password) is not None

    def attributs(self) -> dict[str, list[str]]:
        # The person chosen at login (joint accounts) is put in scope by the login view;
        # strict: without a choice, never mix two people's attributes in one ticket.
        return attributes.release(self.username, person=current_person(self.username), strict=True)

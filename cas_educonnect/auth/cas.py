"""The class django-cas-server loads from ``CAS_AUTH_CLASS``.

The host builds it from the username alone, several times per request; it checks
passwords through ``django.contrib.auth.authenticate()`` (so operators can stack backends)
and releases ``cas_educonnect.attributes.release(username)``: one computation whatever the
route the person logged in by.

The username is kept as given and only lowercased for lookups, so the host may store the
CAS user in its own spelling: after a successful :meth:`test_password` it is the account's
``cas_username`` (a legacy account's historical spelling, whatever case was typed), which
the credential form hands to the host as the ``User.username`` every protocol answers with.
Rebuilding the class from that username costs nothing more than before.
"""

from __future__ import annotations

from cas_server.auth import AuthUser
from django.contrib.auth import authenticate

from cas_educonnect import attributes
from cas_educonnect.attributes.scope import current_person


class EduconnectAuthUser(AuthUser):
    """CAS auth class for EduConnect accounts."""

    def __init__(self, username: str) -> None:
        super().__init__((username or "").strip())

    def test_password(self, password: str) -> bool:
        typed = self.username.lower()
        user = authenticate(request=None, username=typed, password=password)
        if user is None:
            return False
        account = getattr(user, "educonnect_account_checked", None)
        self.username = account.cas_username if account is not None else typed
        return True

    def attributs(self) -> dict[str, list[str]]:
        # The person chosen at login (joint accounts) is put in scope by the login view;
        # strict: without a choice, never mix two people's attributes in one ticket.
        return attributes.release(self.username, person=current_person(self.username), strict=True)

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

Staff users (``is_staff`` or superusers) are not CAS principals: whatever backend accepts
their password, :meth:`test_password` refuses them. Their password is one factor of the
admin's two; it must never open an SSO session on its own, and a staff user has no account
whose attributes a service could receive.
"""

from __future__ import annotations

from cas_server.auth import AuthUser
from django.contrib.auth import authenticate

from cas_educonnect import attributes
from cas_educonnect.attributes.scope import current_person


def is_staff_user(user) -> bool:
    """Whether ``user`` belongs to the staff door (admin) rather than to the CAS."""
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))


class EduconnectAuthUser(AuthUser):
    """CAS auth class for EduConnect accounts (never for staff users)."""

    def __init__(self, username: str) -> None:
        super().__init__((username or "").strip())

    def test_password(self, password: str) -> bool:
        typed = self.username.lower()
        user = authenticate(request=None, username=typed, password=password)
        if user is None or is_staff_user(user):
            return False
        account = getattr(user, "educonnect_account_checked", None)
        self.username = account.cas_username if account is not None else typed
        return True

    def attributs(self) -> dict[str, list[str]]:
        # The person chosen at login (joint accounts) is put in scope by the login view;
        # strict: without a choice, never mix two people's attributes in one ticket.
        return attributes.release(self.username, person=current_person(self.username), strict=True)

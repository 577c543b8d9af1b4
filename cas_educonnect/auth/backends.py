"""Django authentication backend for accounts: chosen password, or provisional password."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.hashers import check_password, make_password
from django.http import HttpRequest

from cas_educonnect.accounts.lookup import find_account, user_for
from cas_educonnect.accounts.passwords import check_provisional_password
from cas_educonnect.models import Account, AccountState

#: The route whose activation a provisional-password login is led to.
ATEN_APP = "cas_educonnect.routes.aten"

# Hashed once so that unknown identifiers cost the same as known ones (no timing oracle).
_DUMMY_HASH: list[str] = []


def _dummy_check(password: str) -> None:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(make_password("cas-educonnect-timing-equalizer"))
    check_password(password, _DUMMY_HASH[0])


class AccountBackend(BaseBackend):
    """Authenticates an account by identifier and password.

    Before activation the provisional password is accepted (the login view then leads to
    activation, never straight to a ticket); after it, only the chosen password. Without the
    ATEN route (:data:`ATEN_APP`) there is no activation to lead to, so no provisional
    password is ever accepted.
    ``request.educonnect_account`` is set to the account on success, and so is
    ``user.educonnect_account_checked`` (callers without a request, the CAS auth class, read
    the account's CAS user from it without another query).
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ):
        if not username or password is None:
            return None
        account = find_account(username)
        if account is None or account.refused:
            _dummy_check(password)
            return None
        if account.password:
            ok = check_password(password, account.password, setter=lambda raw: self._upgrade(account, raw))
        elif apps.is_installed(ATEN_APP):
            ok = account.state != AccountState.NOT_NOTIFIED and check_provisional_password(
                account.provisional_password, password
            )
        else:
            ok = False
        if not ok:
            return None
        user = user_for(account)
        if not getattr(user, "is_active", True):
            return None
        if request is not None:
            request.educonnect_account = account
        user.educonnect_account_checked = account
        return user

    @staticmethod
    def _upgrade(account: Account, raw: str) -> None:
        Account.objects.filter(pk=account.pk).update(password=make_password(raw))

    def get_user(self, user_id: Any):
        user_model = get_user_model()
        try:
            return user_model._default_manager.get(pk=user_id)
        except user_model.DoesNotExist:
            return None

"""Finding an open account by identifier, and its Django user."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from cas_educonnect.models import Account, AccountState


def find_account(identifier: str) -> Account | None:
    """The open account with this identifier (trimmed, case-insensitive), or None."""
    identifier = (identifier or "").strip().lower()
    if not identifier:
        return None
    return Account.objects.exclude(state=AccountState.CLOSED).filter(identifier=identifier).first()


def user_for(account: Account):
    """The Django user of ``account``, created at first use (username = identifier)."""
    if account.user_id:
        return account.user
    user_model = get_user_model()
    user, _created = user_model._default_manager.get_or_create(**{user_model.USERNAME_FIELD: account.identifier})
    if _created:
        user.set_unusable_password()
        user.save()
    Account.objects.filter(pk=account.pk).update(user=user)
    account.user = user
    return user

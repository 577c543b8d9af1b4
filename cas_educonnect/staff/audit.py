"""Writing the audit log. Callers pass identifiers and plain facts, never credentials."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from cas_educonnect.models import Account, Establishment
from cas_educonnect.routes.aten.grouping import JOINT, SAME_PERSON
from cas_educonnect.staff.models import AuditAction, AuditLog
from cas_educonnect.staff.scoping import account_establishments


def record(
    user,
    action: AuditAction,
    establishment: Establishment | None = None,
    accounts: Iterable[Account | str] = (),
    detail: str = "",
    actor_username: str | None = None,
) -> AuditLog:
    """Append one entry; ``accounts`` are Account rows or identifiers.

    ``actor_username`` names an actor who is not a staff user (e.g. ``owner:<identifier>``).
    """
    identifiers = [a.identifier if isinstance(a, Account) else str(a) for a in accounts]
    return AuditLog.objects.create(
        actor=user if getattr(user, "pk", None) else None,
        actor_username=actor_username or getattr(user, "get_username", lambda: "system")(),
        action=action,
        establishment=establishment,
        identifiers=identifiers,
        detail=detail[:500],
    )


def record_grouping(sender, account: Account, absorbed: Account, kind: str, **kwargs) -> None:
    """``accounts_grouped`` receiver (ATEN, issue 5): one entry per school of the kept account.

    The owner acted, not a staff member; each school's head sees it in his audit log.
    """
    kinds = {JOINT: _("one account for both representatives"), SAME_PERSON: _("same person")}
    detail = _("%(absorbed)s grouped into %(kept)s (%(kind)s); %(absorbed)s closed") % {
        "absorbed": absorbed.identifier,
        "kept": account.identifier,
        "kind": kinds.get(kind, kind),
    }
    schools = list(account_establishments(account)) or [None]
    for school in schools:
        record(
            None,
            AuditAction.ACCOUNTS_GROUPED,
            school,
            [account, absorbed],
            detail=detail,
            actor_username=f"owner:{account.identifier}",
        )

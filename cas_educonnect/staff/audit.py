"""Writing the audit log. Callers pass identifiers and plain facts, never credentials."""

from __future__ import annotations

from collections.abc import Iterable

from cas_educonnect.models import Account, Establishment

from .models import AuditAction, AuditLog


def record(
    user,
    action: AuditAction,
    establishment: Establishment | None = None,
    accounts: Iterable[Account | str] = (),
    detail: str = "",
) -> AuditLog:
    """Append one entry; ``accounts`` are Account rows or identifiers."""
    identifiers = [a.identifier if isinstance(a, Account) else str(a) for a in accounts]
    return AuditLog.objects.create(
        actor=user if getattr(user, "pk", None) else None,
        actor_username=getattr(user, "get_username", lambda: "system")(),
        action=action,
        establishment=establishment,
        identifiers=identifiers,
        detail=detail[:500],
    )

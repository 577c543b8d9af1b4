"""Which schools a staff member administers: the single source of every admin scope.

Operators (superusers) see every school; a head the schools of his ``StaffRole`` rows; an
agent the schools of his active delegations. Everything else (accounts, pupils, jobs,
exports) is filtered through :func:`establishments_for`. What a delegation grants beyond
accounts (school settings, services, letters) is :func:`schools_with_right`.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from cas_educonnect.models import Account, AccountReport, Establishment, Pupil
from cas_educonnect.staff.models import DELEGATION_RIGHTS, Delegation, Role, StaffRole


def is_operator(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def establishments_for(user) -> QuerySet[Establishment]:
    """Schools ``user`` may administer (accounts, notification, lists, statistics)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Establishment.objects.none()
    if is_operator(user):
        return Establishment.objects.all()
    heads = StaffRole.objects.filter(user=user, role=Role.HEAD).values("establishment_id")
    delegated = Delegation.objects.active().filter(agent=user).values("establishment_id")
    return Establishment.objects.filter(Q(pk__in=heads) | Q(pk__in=delegated))


def headed_by(user) -> QuerySet[Establishment]:
    """Schools where ``user`` is head (or operator): delegations, the audit log (settings: ``schools_with_right``)."""
    if is_operator(user):
        return Establishment.objects.all()
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Establishment.objects.none()
    return Establishment.objects.filter(staff_roles__user=user, staff_roles__role=Role.HEAD).distinct()


def schools_with_right(user, right: str) -> QuerySet[Establishment]:
    """Schools where ``user`` may exercise ``right`` (one of ``DELEGATION_RIGHTS``).

    Heads (and operators) have every right on their schools; an agent has it where one of
    his active delegations grants it.
    """
    if right not in DELEGATION_RIGHTS:
        raise ValueError(f"unknown delegation right {right!r}")
    if is_operator(user):
        return Establishment.objects.all()
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Establishment.objects.none()
    heads = StaffRole.objects.filter(user=user, role=Role.HEAD).values("establishment_id")
    granted = Delegation.objects.active().filter(agent=user, **{f"may_change_{right}": True})
    return Establishment.objects.filter(Q(pk__in=heads) | Q(pk__in=granted.values("establishment_id")))


def accounts_for(user) -> QuerySet[Account]:
    """Accounts of pupils of the user's schools, and of their representatives."""
    if is_operator(user):
        return Account.objects.all()
    schools = establishments_for(user)
    return Account.objects.filter(
        Q(pupils__establishment__in=schools)
        | Q(representatives__links__pupil__establishment__in=schools, representatives__links__closed_at__isnull=True)
    ).distinct()


def can_administer(user, establishment: Establishment | None) -> bool:
    return establishment is not None and establishments_for(user).filter(pk=establishment.pk).exists()


def account_establishments(account: Account) -> QuerySet[Establishment]:
    """Schools an account belongs to (its pupil's, or the pupils' of its representatives)."""
    return Establishment.objects.filter(
        Q(pupils__accounts=account)
        | Q(pupils__links__representative__accounts=account, pupils__links__closed_at__isnull=True)
    ).distinct()


def pupils_for(user) -> QuerySet[Pupil]:
    """Pupils ``user`` may see: those of his schools. A shared account (a parent of children in
    two schools) is in scope through one child; the other stays out of every page."""
    if is_operator(user):
        return Pupil.objects.all()
    return Pupil.objects.filter(establishment__in=establishments_for(user))


def scoped_account_people(user, accounts: QuerySet[Account]) -> QuerySet[Account]:
    """``accounts`` with ``pupils`` and ``representatives__pupils`` prefetched within the scope."""
    pupils = pupils_for(user).select_related("division", "mef")
    return accounts.prefetch_related(
        Prefetch("pupils", queryset=pupils), Prefetch("representatives__pupils", queryset=pupils)
    )


def account_schools_for(user, account: Account) -> QuerySet[Establishment]:
    """The schools of ``account`` that ``user`` administers (letters, audit, simulation)."""
    return account_establishments(account).filter(pk__in=establishments_for(user).values("pk"))


def reports_for(user, account: Account) -> QuerySet[AccountReport]:
    """The reports on ``account`` about nobody or about a pupil in the user's scope."""
    return account.reports.filter(Q(pupil__isnull=True) | Q(pupil__in=pupils_for(user))).select_related("pupil")

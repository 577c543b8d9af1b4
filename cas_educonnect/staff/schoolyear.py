"""The current school year (« 2026-2027 ») and the accounts carried over from an earlier one.

The year is ``CAS_EDUCONNECT_SCHOOL_YEAR`` when set, else the one whose changeover day
(``CAS_EDUCONNECT_SCHOOL_YEAR_CHANGEOVER``, ``MM-DD``) last passed. An account in use that was
activated before the year began keeps the identifier and password of a previous year, or of
the school the pupil left at the year change: seed 004 §3.1 and §4.1 show it in red.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone

from cas_educonnect.conf import settings
from cas_educonnect.models import Account, AccountState

_LABEL = re.compile(r"(\d{4})\s*[-/]\s*(\d{4})")
_CHANGEOVER = re.compile(r"(\d{2})-(\d{2})")


def changeover() -> tuple[int, int]:
    """(month, day) of ``CAS_EDUCONNECT_SCHOOL_YEAR_CHANGEOVER``."""
    value = str(settings.CAS_EDUCONNECT_SCHOOL_YEAR_CHANGEOVER)
    match = _CHANGEOVER.fullmatch(value.strip())
    try:
        month, day = (int(part) for part in match.groups())  # type: ignore[union-attr]
        datetime.date(2001, month, day)  # a day every year has (no 29 February)
    except (AttributeError, ValueError):
        raise ImproperlyConfigured(f"CAS_EDUCONNECT_SCHOOL_YEAR_CHANGEOVER must be MM-DD, not {value!r}") from None
    return month, day


@dataclass(frozen=True, order=True)
class SchoolYear:
    """The school year beginning in calendar year ``start`` (on the changeover day)."""

    start: int

    @classmethod
    def parse(cls, label: str) -> SchoolYear:
        """« 2026-2027 » (or « 2026/2027 ») to a year; the second year must follow the first."""
        match = _LABEL.fullmatch(str(label).strip())
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            raise ValueError(f"not a school year: {label!r} (expected e.g. 2026-2027)")
        return cls(int(match.group(1)))

    @property
    def label(self) -> str:
        return f"{self.start}-{self.start + 1}"

    def __str__(self) -> str:
        return self.label

    @property
    def starts_on(self) -> datetime.date:
        month, day = changeover()
        return datetime.date(self.start, month, day)

    @property
    def ends_on(self) -> datetime.date:
        """Last day of the year (the day before the next changeover)."""
        return SchoolYear(self.start + 1).starts_on - datetime.timedelta(days=1)

    @property
    def begins_at(self) -> datetime.datetime:
        """Local midnight of the first day, as an aware datetime (compared with ``*_at`` fields)."""
        return timezone.make_aware(datetime.datetime.combine(self.starts_on, datetime.time()))

    @property
    def previous(self) -> SchoolYear:
        return SchoolYear(self.start - 1)


def current(today: datetime.date | None = None) -> SchoolYear:
    """The school year in force: the setting, else computed from ``today`` (local date)."""
    configured = settings.CAS_EDUCONNECT_SCHOOL_YEAR
    if configured:
        try:
            return SchoolYear.parse(configured)
        except ValueError as error:
            raise ImproperlyConfigured(f"CAS_EDUCONNECT_SCHOOL_YEAR: {error}") from None
    today = today or timezone.localdate()
    month, day = changeover()
    return SchoolYear(today.year if (today.month, today.day) >= (month, day) else today.year - 1)


def is_carried_over(account: Account | None, year: SchoolYear | None = None) -> bool:
    """Whether ``account`` keeps the identifier and password chosen before ``year`` began.

    In use and activated (or, for an account without that date, created) before the first day:
    continuity of access (seed 004 §1.4.1). Reset or activated again this year: no longer.
    """
    if account is None or account.state != AccountState.ACTIVE:
        return False
    since = account.activated_at or account.created_at
    return since is not None and since < (year or current()).begins_at


def carried_over_q(year: SchoolYear | None = None, prefix: str = "") -> Q:
    """The :func:`is_carried_over` condition as a filter (``prefix``: path to the account)."""
    begins = (year or current()).begins_at
    return Q(**{f"{prefix}state": AccountState.ACTIVE}) & (
        Q(**{f"{prefix}activated_at__lt": begins})
        | Q(**{f"{prefix}activated_at__isnull": True, f"{prefix}created_at__lt": begins})
    )


__all__ = ["SchoolYear", "carried_over_q", "changeover", "current", "is_carried_over"]

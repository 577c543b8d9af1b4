"""Account statistics of a school: pupils and representatives by state, per MEF and division.

One pass over the school's pupils with their accounts prefetched (three queries whatever
the size); the same tables feed the page and the Excel export.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from cas_educonnect.login.flow import LoginRoute
from cas_educonnect.models import Account, AccountKind, AccountState, Establishment, Pupil
from cas_educonnect.staff import schoolyear
from cas_educonnect.staff.models import RouteLogin
from cas_educonnect.staff.schoolyear import SchoolYear

#: States of an account notified but not yet in use (« notifiés ou en cours d'activation »).
PENDING = (AccountState.NOTIFIED, AccountState.ACTIVATING)


@dataclass
class Counts:
    """Counters of one table row (school, MEF or division)."""

    label: str
    pupils: int = 0
    pupil_states: dict[str, int] = field(default_factory=dict)
    rep_accounts: set = field(default_factory=set)
    rep_states: dict[str, int] = field(default_factory=dict)
    rep_notified_this_year: int = 0
    pupils_with_used_rep: int = 0

    def add(self, pupil_state: str, reps: dict[int, tuple[str, bool]], any_used: bool) -> None:
        """One pupil; ``reps`` maps his representatives' account ids to (state, notified this year)."""
        self.pupils += 1
        self.pupil_states[pupil_state] = self.pupil_states.get(pupil_state, 0) + 1
        for account_id, (state, this_year) in reps.items():
            if account_id not in self.rep_accounts:
                self.rep_accounts.add(account_id)
                self.rep_states[state] = self.rep_states.get(state, 0) + 1
                self.rep_notified_this_year += int(this_year and state in PENDING)
        self.pupils_with_used_rep += int(any_used)

    @staticmethod
    def _pct(part: int, whole: int) -> float:
        return round(100 * part / whole, 2) if whole else 0.0

    def pupil_row(self) -> list:
        used = self.pupil_states.get(AccountState.ACTIVE, 0)
        return [
            self.label,
            self.pupils,
            self.pupil_states.get(AccountState.NOT_NOTIFIED, 0),
            self.pupil_states.get(AccountState.NOTIFIED, 0),
            used,
            self._pct(used, self.pupils),
        ]

    def rep_row(self) -> list:
        total = len(self.rep_accounts)
        used = self.rep_states.get(AccountState.ACTIVE, 0)
        notified = sum(self.rep_states.get(state, 0) for state in PENDING)
        return [
            self.label,
            total,
            self.rep_states.get(AccountState.NOT_NOTIFIED, 0),
            notified,
            self.rep_notified_this_year,
            used,
            self._pct(used, total),
            self._pct(self.pupils_with_used_rep, self.pupils),
        ]


@dataclass
class SchoolStats:
    school: Counts
    by_mef: list[tuple[Counts, list[Counts]]]


def compute(establishment: Establishment, year: SchoolYear | None = None) -> SchoolStats:
    """The school's tables; « this year » counts notifications since the first day of ``year``."""
    begins = (year or schoolyear.current()).begins_at
    pupils = (
        Pupil.objects.filter(establishment=establishment, left_at__isnull=True)
        .select_related("division", "mef")
        .prefetch_related("accounts", "links__representative__accounts")
        .order_by("mef__code", "division__code")
    )
    school = Counts(establishment.name)
    mefs: dict[str, tuple[Counts, dict[str, Counts]]] = {}
    for pupil in pupils:
        own = [a for a in pupil.accounts.all() if a.kind == AccountKind.PUPIL and a.state != AccountState.CLOSED]
        state = own[0].state if own else AccountState.NOT_NOTIFIED
        reps = {
            a.pk: (a.state, a.notified_at is not None and a.notified_at >= begins)
            for link in pupil.links.all()
            if link.closed_at is None and link.legal in (1, 2)
            for a in link.representative.accounts.all()
            if a.kind == AccountKind.REPRESENTATIVE and a.state != AccountState.CLOSED
        }
        any_used = any(state == AccountState.ACTIVE for state, _this_year in reps.values())
        mef_label = str(pupil.mef) if pupil.mef_id else "—"
        division_label = str(pupil.division) if pupil.division_id else "—"
        mef, divisions = mefs.setdefault(mef_label, (Counts(mef_label), {}))
        division = divisions.setdefault(division_label, Counts(division_label))
        for counts in (school, mef, division):
            counts.add(state, reps, any_used)
    by_mef = [(mef, sorted(divisions.values(), key=lambda c: c.label)) for mef, divisions in mefs.values()]
    return SchoolStats(school, by_mef)


def school_identifiers(establishment: Establishment):
    """Subquery of the identifiers of the school's pupil and (linked) representative accounts."""
    return Account.objects.filter(
        Q(pupils__establishment=establishment)
        | Q(
            representatives__links__pupil__establishment=establishment,
            representatives__links__closed_at__isnull=True,
        )
    ).values("identifier")


def logins_by_route(establishment: Establishment) -> tuple[list[str], list[list]]:
    """SSO logins of the school's accounts per route and month (one query).

    Returns the month labels (``MM/YYYY``) and one row per route: label, counts, total; every
    route is listed, unused ones with zeros.
    """
    counts = (
        RouteLogin.objects.filter(username__in=school_identifiers(establishment))
        .annotate(month=TruncMonth("at"))
        .values("route", "month")
        .annotate(total=Count("id"))
    )
    table: dict[str, dict] = {}
    for c in counts:
        month = c["month"].date() if hasattr(c["month"], "date") else c["month"]
        per_month = table.setdefault(c["route"], {})
        per_month[month] = per_month.get(month, 0) + c["total"]
    months = sorted({m for per_month in table.values() for m in per_month})
    rows = [
        [str(label), *(table.get(value, {}).get(m, 0) for m in months), sum(table.get(value, {}).values())]
        for value, label in LoginRoute.choices
    ]
    return [m.strftime("%m/%Y") for m in months], rows

"""Refusals recorded by staff (002 §1.2, 001 « Gérer le compte élève »).

A representative returns the slip of his letter, or tells the school, that he refuses the
online services:

- for himself: ``Representative.services_refused``; an account whose every person refused
  cannot log in (``login.policy``), and the person is neither offered at the profile choice
  nor found by the SMS registration;
- for a child: ``Pupil.services_refused``; the pupil loses the national follow-up services
  and keeps the others (``attributes.access``).

Both flags sit on the directory records, not on the account: a new account of the same
person stays refused, and the AAF import never writes them (only inserts ``False``).
Every change is audit-logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from cas_educonnect.models import Account, AccountKind, Pupil, Representative, RepresentativeLink
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.models import AuditAction
from cas_educonnect.staff.scoping import account_schools_for, pupils_for

PUPIL, REPRESENTATIVE = "pupil", "representative"


@dataclass
class Access:
    """One line of « Accès aux téléservices »: a person of the account, and whether he refused."""

    kind: str  # PUPIL (the follow-up services of this pupil) or REPRESENTATIVE (for himself)
    person: Pupil | Representative
    refused: bool

    @property
    def value(self) -> str:
        """What the page posts to name this line."""
        return f"{self.kind}:{self.person.pk}"

    @property
    def label(self) -> str:
        if self.kind == REPRESENTATIVE:
            return _("%(person)s, for himself") % {"person": self.person}
        return str(self.person)


def access_lines(user, account: Account) -> list[Access]:
    """The persons of ``account`` the staff member may record a refusal for, in his schools only.

    A pupil account: its pupil. A representative account: each representative with an open
    link to a pupil of the user's schools, then each such pupil.
    """
    scoped = pupils_for(user)
    if account.kind == AccountKind.PUPIL:
        return [Access(PUPIL, p, p.services_refused) for p in account.pupils.filter(pk__in=scoped).order_by("pk")]
    links = (
        RepresentativeLink.objects.filter(
            representative__accounts=account, closed_at__isnull=True, pupil__in=scoped, pupil__left_at__isnull=True
        )
        .select_related("representative", "pupil")
        .order_by("representative_id", "pupil_id")
    )
    reps: dict[int, Representative] = {}
    pupils: dict[int, Pupil] = {}
    for link in links:
        reps.setdefault(link.representative_id, link.representative)
        pupils.setdefault(link.pupil_id, link.pupil)
    lines = [Access(REPRESENTATIVE, r, r.services_refused or account.refused) for r in reps.values()]
    return lines + [Access(PUPIL, p, p.services_refused) for p in pupils.values()]


def is_refused(account: Account) -> bool:
    """Whether the account's holder refused the service for himself (or the pupil's follow-up)."""
    if account.refused:
        return True
    people = list(account.pupils.all()) or list(account.representatives.all())
    return bool(people) and all(p.services_refused for p in people)


def access_text(account: Account) -> str:
    """« accède » / « refusé » for the lists, from the people prefetched in the staff's scope."""
    if is_refused(account):
        return _("refused")
    children = sorted({str(p) for r in account.representatives.all() for p in r.pupils.all() if p.services_refused})
    if account.kind == AccountKind.REPRESENTATIVE and children:
        return _("accesses; refused for %(pupils)s") % {"pupils": ", ".join(children)}
    return _("accesses")


def set_refusal(user, account: Account, value: str, refused: bool) -> Access | None:
    """Record (or withdraw) the refusal of the line ``value`` of ``account``; None if no such line.

    Withdrawing a representative's own refusal also clears ``Account.refused``.
    """
    line = next((a for a in access_lines(user, account) if a.value == value), None)
    if line is None:
        return None
    model = Pupil if line.kind == PUPIL else Representative
    with transaction.atomic():
        model.objects.filter(pk=line.person.pk).update(services_refused=refused)
        if line.kind == REPRESENTATIVE and not refused and account.refused:
            Account.objects.filter(pk=account.pk).update(refused=False)
            account.refused = False
        school = account_schools_for(user, account).order_by("pk").first()
        whom = "himself" if line.kind == REPRESENTATIVE else "the pupil"
        record(
            user,
            AuditAction.REFUSAL_RECORDED if refused else AuditAction.REFUSAL_WITHDRAWN,
            school,
            [account],
            detail=f"for {whom} {line.person.jointure}",
        )
    line.person.services_refused = refused
    line.refused = refused
    return line

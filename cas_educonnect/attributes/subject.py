"""What attribute providers read: an account and the persons it covers, loaded in 1 query.

The statements themselves are in :mod:`.sql` (raw SQL generated from the models).

Every provider works on one :class:`Subject` instead of the ORM, so the number of SQL
queries of a release is constant (one statement: the account row and the joined rows of
its persons and children) whatever the number of children, and it is computed once per request
(:mod:`.cache`).

A *person* is a human the account stands for. A pupil account covers one pupil. A
representative account covers one or more directory records (``Representative``): records
with the same folded names are one person (an account grouped across schools), different
names are different persons (a joint account) between whom the user chooses at login.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from cas_educonnect.accounts.identifiers import fold
from cas_educonnect.attributes import cache, shared, sql
from cas_educonnect.conf import settings
from cas_educonnect.models import AccountKind
from cas_educonnect.models.accounts import cas_username

PUPIL = "pupil"
REPRESENTATIVE = "representative"


@dataclass(frozen=True)
class Child:
    """A pupil as the vector sees it: for a representative one of his children, for a pupil himself."""

    pk: int
    jointure: str
    struct_id: str
    last_name: str
    first_name: str
    birth_date: datetime.date | None
    uai: str
    school_name: str
    degree: str
    services_refused: bool


@dataclass(frozen=True)
class Person:
    """One human covered by the account.

    ``key`` is stable across requests (stored in the session as the profile choice);
    ``jointures`` are the AAF identities of the person (one per directory record);
    ``children`` are the pupils reached through open, legal links (a pupil: himself).
    """

    key: str
    role: str
    last_name: str
    first_name: str
    jointures: tuple[str, ...]
    children: tuple[Child, ...]
    birth_date: datetime.date | None = None
    refused: bool = False
    services_refused: bool = False


@dataclass(frozen=True)
class Subject:
    """An account and the persons whose attributes are released (all, or the chosen one)."""

    pk: int
    identifier: str
    kind: str
    email: str
    email_validated: bool
    legacy_identifier: str
    account_refused: bool
    persons: tuple[Person, ...]

    @property
    def cas_username(self) -> str:
        """The account's CAS user: a legacy account's historical spelling, else the identifier."""
        return cas_username(self.kind, self.identifier, self.legacy_identifier)

    @property
    def usable_persons(self) -> tuple[Person, ...]:
        """Persons who have not refused the service for themselves."""
        return tuple(p for p in self.persons if not p.refused)

    @property
    def refused(self) -> bool:
        """True when nobody may log in with this account (refusal of the account or of every person)."""
        return self.account_refused or (bool(self.persons) and not self.usable_persons)

    @property
    def needs_choice(self) -> bool:
        """True when the user must pick one person (unless the release-all setting is on)."""
        return len(self.usable_persons) > 1 and not settings.CAS_EDUCONNECT_RELEASE_ALL_PERSONS

    def person(self, key: str | None) -> Person | None:
        return next((p for p in self.usable_persons if p.key == key), None)

    def scoped(self, key: str | None, strict: bool = True) -> Subject:
        """The subject restricted to the person ``key``.

        Without a valid key: every usable person if no choice is needed; otherwise, when
        ``strict``, nobody (person-specific attributes are withheld rather than mixing two
        people in one vector), else everybody (operators' view).
        """
        chosen = self.person(key)
        if chosen is not None:
            persons: tuple[Person, ...] = (chosen,)
        elif self.needs_choice and strict:
            persons = ()
        else:
            persons = self.usable_persons
        return replace(self, persons=persons)


def allowed_legal_statuses() -> frozenset[int]:
    """Link statuses that count: legal representatives, and persons in charge when the directory
    pre-creates their accounts (the same setting, so the vector matches who has an account)."""
    return frozenset({1, 2}) if settings.CAS_EDUCONNECT_IMPORT_PERSONS_IN_CHARGE else frozenset({1})


def _child(row: dict, pk: int, prefix: str = "") -> Child:
    return Child(
        pk=pk,
        jointure=row[prefix + "jointure"] or "",
        struct_id=row[prefix + "struct_id"] or "",
        last_name=row[prefix + "last_name"] or "",
        first_name=row[prefix + "first_name"] or "",
        birth_date=row[prefix + "birth_date"],
        uai=row[prefix + "establishment__uai"] or "",
        school_name=row[prefix + "establishment__name"] or "",
        degree=row[prefix + "establishment__degree"] or "",
        services_refused=bool(row[prefix + "services_refused"]),
    )


def _pupil_persons(rows: list[dict]) -> list[Person]:
    persons = []
    for row in rows:
        child = _child(row, row["pk"])
        persons.append(
            Person(
                key=f"p{child.pk}",
                role=PUPIL,
                last_name=child.last_name,
                first_name=child.first_name,
                jointures=(child.jointure,),
                children=() if row["left_at"] else (child,),
                birth_date=child.birth_date,
                services_refused=child.services_refused,
            )
        )
    return persons


def _representative_persons(rows: list[dict]) -> list[Person]:
    link = "links__pupil__"
    legal = allowed_legal_statuses()
    groups: dict[tuple[str, str], dict] = {}
    for row in rows:
        name = (fold(row["last_name"]), fold(row["first_name"]))
        group = groups.setdefault(
            name,
            {"pks": [], "jointures": [], "children": {}, "refused": False, "row": row},
        )
        if row["pk"] not in group["pks"]:
            group["pks"].append(row["pk"])
            group["jointures"].append(row["jointure"])
            group["refused"] |= bool(row["services_refused"])
        usable_link = (
            row["links__pupil_id"] is not None
            and row["links__closed_at"] is None
            and row["links__legal"] in legal
            and row[link + "left_at"] is None
        )
        if usable_link:
            group["children"].setdefault(row["links__pupil_id"], _child(row, row["links__pupil_id"], link))
    persons = []
    for group in groups.values():
        first = group["row"]
        children = sorted(group["children"].values(), key=lambda c: (c.uai, c.struct_id, c.pk))
        persons.append(
            Person(
                key=f"r{min(group['pks'])}",
                role=REPRESENTATIVE,
                last_name=first["last_name"] or "",
                first_name=first["first_name"] or "",
                jointures=tuple(group["jointures"]),
                children=tuple(children),
                refused=group["refused"],
            )
        )
    return persons


def _load(username: str) -> Subject | None:
    # One statement for the account and both kinds of persons; legacy accounts may cover either.
    rows = sql.subject_rows(username)
    subject = _subject(rows)
    if subject is not None and rows.digest is not None:
        shared.remember(username, subject, rows.digest)
    return subject


def _subject(rows: sql.SubjectRows) -> Subject | None:
    row, pupil_rows, representative_rows = rows.account, rows.pupils, rows.representatives
    if row is None:
        return None
    persons: list[Person] = []
    if row["kind"] in (AccountKind.PUPIL, AccountKind.LEGACY):
        persons = _pupil_persons(pupil_rows)
    if row["kind"] == AccountKind.REPRESENTATIVE or (row["kind"] == AccountKind.LEGACY and not persons):
        persons = _representative_persons(representative_rows)
    return Subject(
        pk=row["pk"],
        identifier=row["identifier"],
        kind=row["kind"],
        email=row["email"] or "",
        email_validated=bool(row["email_validated"]),
        legacy_identifier=row["legacy_identifier"] or "",
        account_refused=bool(row["refused"]),
        persons=tuple(persons),
    )


def _key(username: str) -> str:
    return (username or "").strip().lower()


def load_subject(username: str) -> Subject | None:
    """The open account ``username`` as a :class:`Subject`, or None; cached for the current request."""
    username = _key(username)
    if not username:
        return None
    return cache.cached(("subject", username), lambda: _load(username))


def subject_for_ticket(username: str) -> tuple[Subject | None, bytes | None]:
    """The subject a ticket issuance decides from, and the digest a ticket written from it needs.

    The digest is None when the subject was read in this request; otherwise the subject was
    kept by this process (:mod:`.shared`) and may be stale: only a ticket written under
    :func:`~.shared.ticket_guard` of that digest may come from it, and any other outcome must
    be decided again from :func:`fresh_subject`.
    """
    username = _key(username)
    if username:
        found = cache.peek(("subject", username))
        if found is cache.MISSING:
            kept = shared.remembered(username)
            if kept is not None:
                cache.put(("subject", username), kept[0])
                return kept[0], kept[1]
    return load_subject(username), None


def fresh_subject(username: str) -> Subject | None:
    """The subject read again from the database (what this request memoised is forgotten)."""
    shared.forget(_key(username))
    cache.invalidate()
    return load_subject(username)

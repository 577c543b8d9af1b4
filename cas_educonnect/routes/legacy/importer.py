"""Import of legacy CAS accounts from a CSV export of the old directory.

Columns (header row required; ``,`` or ``;`` separated; UTF-8):
``identifier,password,category`` and optionally ``last_name,first_name,email,jointure,birth_date``.
``password`` is the stored hash ({SSHA}, {SHA}, {MD5}, {CRYPT}..., or a Django hash, see
:func:`hashers.to_django_hash`). The import is all-or-nothing and idempotent: a second run
of the same file changes nothing, a password upgraded at login is never overwritten unless
the legacy directory changed it, and switched accounts are left alone.
"""

from __future__ import annotations

import csv
import datetime
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.contrib.auth.hashers import get_hasher
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from cas_educonnect.models import Account, AccountKind, AccountState, UsedIdentifier
from cas_educonnect.routes.legacy.base import CATEGORY_ALIASES
from cas_educonnect.routes.legacy.hashers import UnsupportedHash, to_django_hash
from cas_educonnect.routes.legacy.matching import link_account, match_person
from cas_educonnect.routes.legacy.models import LegacyProfile

logger = logging.getLogger(__name__)

REQUIRED = ("identifier", "password", "category")
OPTIONAL = ("last_name", "first_name", "email", "jointure", "birth_date")
IDENTIFIER_MAX = Account._meta.get_field("identifier").max_length


@dataclass
class LegacyRecord:
    line: int
    identifier: str
    password: str
    category: str
    last_name: str = ""
    first_name: str = ""
    email: str = ""
    jointure: str = ""
    birth_date: datetime.date | None = None


@dataclass
class ImportSummary:
    """What an import did (or, with errors or ``dry_run``, would have done: nothing is kept)."""

    file: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_switched: int = 0
    linked: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


class _Abort(Exception):
    pass


def _parse_date(value: str) -> datetime.date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"invalid birth_date {value!r} (expected YYYY-MM-DD or DD/MM/YYYY)")


def _parse_row(line: int, row: dict[str, str]) -> LegacyRecord:
    """One record from one CSV row; ValueError with an English message on bad input."""
    values = {k: (row.get(k) or "").strip() for k in REQUIRED + OPTIONAL}
    identifier = values["identifier"]
    if not identifier:
        raise ValueError("empty identifier")
    if len(identifier) > IDENTIFIER_MAX or any(c.isspace() for c in identifier):
        raise ValueError(f"invalid identifier {identifier!r} (no spaces, at most {IDENTIFIER_MAX} characters)")
    category = CATEGORY_ALIASES.get(values["category"].lower())
    if category is None:
        raise ValueError("unknown category {!r} (pupil, representative, teacher, other)".format(values["category"]))
    try:
        password = to_django_hash(values["password"])
    except UnsupportedHash as exc:
        raise ValueError(str(exc))
    algorithm = password.split("$", 1)[0]
    try:
        get_hasher(algorithm)
    except ValueError:
        raise ValueError(f"password hasher {algorithm!r} is not enabled in PASSWORD_HASHERS")
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            raise ValueError("invalid email {!r}".format(values["email"]))
    birth_date = _parse_date(values["birth_date"]) if values["birth_date"] else None
    return LegacyRecord(
        line=line,
        identifier=identifier,
        password=password,
        category=str(category),
        last_name=values["last_name"],
        first_name=values["first_name"],
        email=values["email"],
        jointure=values["jointure"],
        birth_date=birth_date,
    )


def read_records(path: Path, encoding: str = "utf-8-sig") -> tuple[list[LegacyRecord], list[str]]:
    """Parse the whole file; returns the records and ``file:line: message`` errors."""
    errors: list[str] = []
    records: list[LegacyRecord] = []
    try:
        handle = path.open(newline="", encoding=encoding)
    except OSError as exc:
        return [], [f"{path}:0: cannot read file: {exc.strerror or exc}"]
    with handle:
        try:
            sample = handle.read(4096)
            handle.seek(0)
            dialect = csv.Sniffer().sniff(sample, delimiters=",;") if sample.strip() else csv.excel
        except csv.Error:
            dialect = csv.excel
        except UnicodeDecodeError as exc:
            return [], [f"{path}:1: not {encoding} text: {exc.reason}"]
        reader = csv.DictReader(handle, dialect=dialect)
        try:
            header = [h.strip() for h in (reader.fieldnames or [])]
            reader.fieldnames = header
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                return [], ["{}:1: missing column(s): {}".format(path, ", ".join(missing))]
            seen: dict[str, int] = {}
            for row in reader:
                line = reader.line_num
                if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                    continue
                try:
                    record = _parse_row(line, row)
                except ValueError as exc:
                    errors.append(f"{path}:{line}: {exc}")
                    continue
                key = record.identifier.lower()
                if key in seen:
                    errors.append(f"{path}:{line}: identifier {record.identifier!r} already on line {seen[key]}")
                    continue
                seen[key] = line
                records.append(record)
        except UnicodeDecodeError as exc:
            errors.append(f"{path}:{reader.line_num + 1}: not {encoding} text: {exc.reason}")
        except csv.Error as exc:
            errors.append(f"{path}:{reader.line_num}: {exc}")
    return records, errors


def _apply(record: LegacyRecord, source: str) -> tuple[str, bool]:
    """Write one record; returns (``created``/``updated``/``unchanged``/``skipped``, newly linked)."""
    key = record.identifier.lower()
    account = Account.objects.select_for_update().filter(identifier=key).first()
    if account is None:
        if UsedIdentifier.objects.filter(identifier=key).exists():
            raise ValueError(f"identifier {record.identifier!r} was already handed out to another account")
        account = Account.objects.create(
            identifier=key,
            kind=AccountKind.LEGACY,
            state=AccountState.ACTIVE,
            password=record.password,
            email=record.email,
            legacy_identifier=record.identifier,
        )
        UsedIdentifier.objects.get_or_create(identifier=key)
        profile = LegacyProfile(account=account, imported_hash=record.password)
        status = "created"
    else:
        if account.kind != AccountKind.LEGACY:
            raise ValueError(f"identifier {record.identifier!r} belongs to a {account.kind} account, not a legacy one")
        profile = LegacyProfile.objects.filter(account=account).first() or LegacyProfile(account=account)
        if profile.switched_at or account.state == AccountState.CLOSED:
            return "skipped", False
        status = "unchanged" if profile.pk else "updated"
        if record.password != profile.imported_hash:
            # Only a change in the legacy directory replaces the password (never a login upgrade).
            account.password = profile.imported_hash = record.password
            status = "updated"
        for name, value in (("email", record.email), ("legacy_identifier", record.identifier)):
            if getattr(account, name) != value:
                setattr(account, name, value)
                status = "updated"
        if status == "updated":
            account.save(update_fields=["password", "email", "legacy_identifier", "updated_at"])
    for name in ("category", "last_name", "first_name", "jointure", "birth_date"):
        if getattr(profile, name) != getattr(record, name):
            setattr(profile, name, getattr(record, name))
            status = "updated" if status == "unchanged" else status
    if status != "unchanged":
        profile.source = source
        profile.save()
    linked = link_account(account, match_person(profile, record.email))
    if linked and status == "unchanged":
        status = "updated"
    return status, linked


def import_legacy(path: str | Path, dry_run: bool = False, encoding: str = "utf-8-sig") -> ImportSummary:
    """Import ``path``; with any error, or with ``dry_run``, the database is left untouched."""
    path = Path(path)
    summary = ImportSummary(file=str(path), dry_run=dry_run)
    records, summary.errors = read_records(path, encoding)
    if summary.errors:
        return summary
    try:
        with transaction.atomic():
            for record in records:
                try:
                    status, linked = _apply(record, path.name)
                except ValueError as exc:
                    summary.errors.append(f"{path}:{record.line}: {exc}")
                    continue
                attribute = "skipped_switched" if status == "skipped" else status
                setattr(summary, attribute, getattr(summary, attribute) + 1)
                summary.linked += int(linked)
            if summary.errors or dry_run:
                raise _Abort
    except _Abort:
        pass
    if summary.errors:
        summary.created = summary.updated = summary.unchanged = summary.skipped_switched = summary.linked = 0
    logger.info("legacy import of %s: %s", path, summary.as_dict())
    return summary

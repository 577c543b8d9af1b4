"""Contract of the AAF import: records, errors and the summary of a run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Record categories in the order a run applies them: references point backwards only
# (pupils -> schools, MEFs and representatives).
ESTABLISHMENT = "EtabEducNat"
MEF = "MefEducNat"
REPRESENTATIVE = "PersRelEleve"
PUPIL = "Eleve"
STAFF = "PersEducNat"
SUBJECT = "MatiereEducNat"
ORDER = [ESTABLISHMENT, MEF, REPRESENTATIVE, PUPIL, STAFF, SUBJECT]
IMPORTED = {ESTABLISHMENT, MEF, REPRESENTATIVE, PUPIL}
SKIPPED = {STAFF, SUBJECT}


@dataclass(slots=True)
class Record:
    """One ``addRequest`` / ``modifyRequest`` / ``deleteRequest`` of an AAF file.

    ``attrs`` maps an attribute name to its values (``modifications`` for a modify);
    ``source`` and ``line`` locate it for error messages; ``digest`` is the add request's
    ``state.raw_digest`` when the parser was asked for it, else "".
    """

    op: str
    category: str
    jointure: str
    attrs: dict[str, list[str]]
    source: str
    line: int
    digest: str = ""

    def first(self, *names: str) -> str:
        """The first non-empty value of the first attribute present among ``names``, stripped."""
        for name in names:
            for value in self.attrs.get(name, ()):
                value = (value or "").strip()
                if value:
                    return value
        return ""

    def has(self, *names: str) -> bool:
        return any(name in self.attrs for name in names)


class ImportFailure(Exception):
    """Something in the input is wrong; ``str()`` is ``file:line: message``."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.source, self.line, self.message = source, line, message

    def __str__(self) -> str:
        return f"{self.source}:{self.line or 0}: {self.message}"


class InvalidRecord(ImportFailure):
    """One record is wrong; ``--skip-invalid`` skips it, otherwise the run stops."""


@dataclass
class TypeSummary:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: int = 0


@dataclass
class ImportSummary:
    """What a run did, per category, plus accounts and links; ``changes`` is 0 for a no-op."""

    types: dict[str, TypeSummary] = field(default_factory=lambda: {name: TypeSummary() for name in ORDER})
    links: TypeSummary = field(default_factory=TypeSummary)
    accounts_created: int = 0
    files: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        counted = [*self.types.values(), self.links]
        return sum(t.created + t.updated + t.deleted for t in counted) + self.accounts_created

    def as_dict(self) -> dict[str, Any]:
        return {
            "types": {name: asdict(summary) for name, summary in self.types.items()},
            "links": asdict(self.links),
            "accounts_created": self.accounts_created,
            "changes": self.changes,
            "files": self.files,
            "invalid": self.invalid,
        }

"""Models of the core app: the directory (AAF) and the accounts built on it."""

from .accounts import Account, AccountKind, AccountReport, AccountState, UsedIdentifier
from .directory import (
    Division,
    Establishment,
    Group,
    Mef,
    Pupil,
    Representative,
    RepresentativeLink,
)
from .services import ServiceCategory, ServiceProfile

__all__ = [
    "Account",
    "AccountKind",
    "AccountReport",
    "AccountState",
    "Division",
    "Establishment",
    "Group",
    "Mef",
    "Pupil",
    "Representative",
    "RepresentativeLink",
    "ServiceCategory",
    "ServiceProfile",
    "UsedIdentifier",
]

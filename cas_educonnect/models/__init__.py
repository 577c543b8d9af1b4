"""Models of the core app: the directory (AAF) and the accounts built on it."""

from .accounts import Account, AccountKind, AccountReport, AccountState, NotificationMode, UsedIdentifier, new_opaque_id
from .directory import (
    Degree,
    Division,
    Establishment,
    Group,
    LegalStatus,
    Mef,
    Pupil,
    Regime,
    Representative,
    RepresentativeLink,
)
from .services import ServiceCategory, ServiceProfile

__all__ = [
    "Account",
    "AccountKind",
    "AccountReport",
    "AccountState",
    "Degree",
    "Division",
    "Establishment",
    "Group",
    "LegalStatus",
    "Mef",
    "NotificationMode",
    "Pupil",
    "Regime",
    "Representative",
    "RepresentativeLink",
    "ServiceCategory",
    "ServiceProfile",
    "UsedIdentifier",
    "new_opaque_id",
]

"""Models of the core app: the directory (AAF) and the accounts built on it."""

from cas_educonnect.models.accounts import (
    Account,
    AccountKind,
    AccountReport,
    AccountState,
    NotificationMode,
    UsedIdentifier,
    new_opaque_id,
)
from cas_educonnect.models.codes import ActivationCode, ActivationCodeKind
from cas_educonnect.models.directory import (
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
from cas_educonnect.models.ratelimit import RateLimitCounter
from cas_educonnect.models.services import (
    NOT_SCHOOL_MANAGED,
    ServiceAudience,
    ServiceCategory,
    ServiceProfile,
    SiecleModule,
    school_managed,
)

__all__ = [
    "Account",
    "ActivationCode",
    "ActivationCodeKind",
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
    "RateLimitCounter",
    "Regime",
    "Representative",
    "RepresentativeLink",
    "ServiceAudience",
    "ServiceCategory",
    "SiecleModule",
    "ServiceProfile",
    "NOT_SCHOOL_MANAGED",
    "school_managed",
    "UsedIdentifier",
    "new_opaque_id",
]

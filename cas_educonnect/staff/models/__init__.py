"""Models of the staff app (label ``educonnect_staff``)."""

from cas_educonnect.staff.models.access import AccessCount, AccessCountFlush, ServiceAccess
from cas_educonnect.staff.models.audit import AuditAction, AuditLog
from cas_educonnect.staff.models.devices import AuthenticatorDevice
from cas_educonnect.staff.models.jobs import JobStatus, NotificationAudience, NotificationJob
from cas_educonnect.staff.models.logins import RouteLogin
from cas_educonnect.staff.models.roles import DELEGATION_RIGHTS, Delegation, Role, StaffRole
from cas_educonnect.staff.models.school import LetterType, SchoolServiceSetting, SchoolSettings, UsefulLink
from cas_educonnect.staff.models.schoolyear import SchoolYearRollover

__all__ = [
    "AccessCount",
    "AccessCountFlush",
    "AuditAction",
    "AuditLog",
    "DELEGATION_RIGHTS",
    "AuthenticatorDevice",
    "Delegation",
    "JobStatus",
    "LetterType",
    "NotificationAudience",
    "NotificationJob",
    "Role",
    "RouteLogin",
    "SchoolServiceSetting",
    "SchoolYearRollover",
    "SchoolSettings",
    "ServiceAccess",
    "StaffRole",
    "UsefulLink",
]

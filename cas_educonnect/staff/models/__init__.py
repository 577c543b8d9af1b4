"""Models of the staff app (label ``educonnect_staff``)."""

from .access import ServiceAccess
from .audit import AuditAction, AuditLog
from .jobs import JobStatus, NotificationAudience, NotificationJob
from .logins import RouteLogin
from .roles import Delegation, Role, StaffRole
from .school import LetterType, SchoolServiceSetting, SchoolSettings, UsefulLink

__all__ = [
    "AuditAction",
    "AuditLog",
    "Delegation",
    "JobStatus",
    "LetterType",
    "NotificationAudience",
    "NotificationJob",
    "Role",
    "RouteLogin",
    "SchoolServiceSetting",
    "SchoolSettings",
    "ServiceAccess",
    "StaffRole",
    "UsefulLink",
]

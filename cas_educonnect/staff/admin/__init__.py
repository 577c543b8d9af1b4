"""Staff administration (heads of school, delegated agents, academy operators).

Mount ``cas_educonnect.staff.admin.site.urls`` at ``/admin/`` in place of ``admin.site``.
"""

from cas_educonnect.staff.admin.site import EduconnectAdminSite, site

__all__ = ["EduconnectAdminSite", "site"]

from cas_educonnect.staff.admin import accounts, operators, school, service_profiles, sms, staff  # noqa: E402,F401  (registrations)

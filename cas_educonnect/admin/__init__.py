"""Staff administration (heads of school, delegated agents, academy operators).

Mount ``cas_educonnect.admin.site.urls`` at ``/admin/`` in place of ``admin.site``.
"""

from .site import EduconnectAdminSite, site

__all__ = ["EduconnectAdminSite", "site"]

from . import accounts, school, service_profiles, staff  # noqa: E402,F401  (registrations)

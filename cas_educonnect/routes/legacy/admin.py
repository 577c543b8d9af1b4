"""Admin of the legacy route: imported accounts (read-mostly) and the sunset dates per population.

The sunset lives both in settings (deployment default) and here, so an academy operator can
close or reopen the route for pupils or parents without a redeployment; a row wins over
the setting for its population. Both are academy-wide, so only superusers (academy
operators) see them; school staff of the scoped admin get 403.
"""

from __future__ import annotations

from django.contrib import admin

from cas_educonnect.routes.legacy.models import LegacyProfile, LegacySunset


class AcademyOnlyAdmin(admin.ModelAdmin):
    """Visible and editable by superusers only (not scoped to a school)."""

    @staticmethod
    def _operator(request) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request) -> bool:
        return self._operator(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._operator(request)

    def has_add_permission(self, request) -> bool:
        return self._operator(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._operator(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._operator(request)


@admin.register(LegacySunset)
class LegacySunsetAdmin(AcademyOnlyAdmin):
    list_display = ["category", "closes_on", "updated_at"]
    readonly_fields = ["updated_at"]


@admin.register(LegacyProfile)
class LegacyProfileAdmin(AcademyOnlyAdmin):
    list_display = ["__str__", "category", "last_name", "first_name", "jointure", "last_login_at", "switched_at"]
    list_filter = ["category", ("switched_at", admin.EmptyFieldListFilter)]
    search_fields = ["account__identifier", "account__legacy_identifier", "last_name", "first_name", "jointure"]
    raw_id_fields = ["account", "switched_to"]
    readonly_fields = ["imported_hash", "source", "imported_at", "updated_at", "last_login_at", "switched_at"]

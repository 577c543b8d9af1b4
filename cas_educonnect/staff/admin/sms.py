"""SMS sent (issue 7), read-only and for academy operators only.

The log is academy-wide (numbers are masked, but not tied to a school), so heads of school
and agents have no access at all; nobody adds, edits or deletes a row.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest

from cas_educonnect.staff.admin.site import site


class SentSmsAdmin(admin.ModelAdmin):
    list_display = ("created_at", "purpose", "number_masked", "status", "error_code", "backend")
    list_filter = ("status", "purpose")
    search_fields = ("number_masked", "provider_id", "error_code")
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "purpose",
        "number_masked",
        "backend",
        "status",
        "provider_id",
        "provider_status",
        "error_code",
    ]
    exclude = ("number_hash",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


if apps.is_installed("cas_educonnect.routes.sms"):
    from cas_educonnect.routes.sms.models import SentSms

    site.register(SentSms, SentSmsAdmin)

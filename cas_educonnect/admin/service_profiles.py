"""Service categories in the admin: what the per-service refusal rule reads.

The host's ServicePattern admin gets a "profil de service" inline (category, portal URL,
mandatory), and the profiles have their own list to review categories at a glance.
"""

from __future__ import annotations

from cas_server.admin import ServicePatternAdmin
from cas_server.models import ServicePattern
from django.contrib import admin

from ..models import ServiceProfile


class ServiceProfileInline(admin.StackedInline):
    model = ServiceProfile
    can_delete = False
    extra = 1
    max_num = 1
    fields = ["category", "url", "mandatory"]


class EduconnectServicePatternAdmin(ServicePatternAdmin):
    """The host's ServicePattern admin plus our profile inline."""

    inlines = (ServiceProfileInline, *ServicePatternAdmin.inlines)
    list_display = (*ServicePatternAdmin.list_display, "category")
    list_select_related = ["educonnect"]

    @admin.display(description=ServiceProfile._meta.get_field("category").verbose_name)
    def category(self, obj: ServicePattern) -> str:
        profile = getattr(obj, "educonnect", None)
        return profile.get_category_display() if profile is not None else "—"


@admin.register(ServiceProfile)
class ServiceProfileAdmin(admin.ModelAdmin):
    list_display = ["service_pattern", "category", "mandatory", "url"]
    list_editable = ["category", "mandatory"]
    list_filter = ["category", "mandatory"]
    search_fields = ["service_pattern__name", "service_pattern__pattern"]
    raw_id_fields = ["service_pattern"]
    list_select_related = ["service_pattern"]


if admin.site.is_registered(ServicePattern):
    admin.site.unregister(ServicePattern)
admin.site.register(ServicePattern, EduconnectServicePatternAdmin)

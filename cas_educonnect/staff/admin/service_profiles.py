"""Service categories in the admin: what the per-service refusal rule reads.

The host's ServicePattern admin (academy operators) gets a ServiceProfile inline (category,
portal URL, mandatory) and a category column. Registered on Django's default site, which the
staff site adopts for operators; school staff have no model permission on it.
"""

from __future__ import annotations

from cas_server.admin import ServicePatternAdmin
from cas_server.models import ServicePattern
from django.contrib import admin

from cas_educonnect.models import ServiceProfile


class ServiceProfileInline(admin.StackedInline):
    model = ServiceProfile
    can_delete = False
    extra = 1
    max_num = 1
    fields = ["category", "url", "mandatory", "audience", "siecle_module", "experimental", "experimental_schools"]
    filter_horizontal = ["experimental_schools"]


class EduconnectServicePatternAdmin(ServicePatternAdmin):
    """The host's ServicePattern admin plus our profile inline."""

    inlines = (ServiceProfileInline, *ServicePatternAdmin.inlines)
    list_display = (*ServicePatternAdmin.list_display, "category")
    list_select_related = ["educonnect"]

    @admin.display(description=ServiceProfile._meta.get_field("category").verbose_name)
    def category(self, obj: ServicePattern) -> str:
        profile = getattr(obj, "educonnect", None)
        return profile.get_category_display() if profile is not None else "—"


if admin.site.is_registered(ServicePattern):
    admin.site.unregister(ServicePattern)
admin.site.register(ServicePattern, EduconnectServicePatternAdmin)

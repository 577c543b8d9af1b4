"""Admin of the legacy route: imported accounts (read-mostly) and the sunset dates per population.

The sunset lives both in settings (deployment default) and here, so an academy operator can
close or reopen the route for pupils or parents without a redeployment; a row wins over
the setting for its population.
"""

from __future__ import annotations

from django.contrib import admin

from .models import LegacyProfile, LegacySunset


@admin.register(LegacySunset)
class LegacySunsetAdmin(admin.ModelAdmin):
    list_display = ["category", "closes_on", "updated_at"]
    readonly_fields = ["updated_at"]


@admin.register(LegacyProfile)
class LegacyProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "last_name", "first_name", "jointure", "last_login_at", "switched_at"]
    list_filter = ["category", ("switched_at", admin.EmptyFieldListFilter)]
    search_fields = ["account__identifier", "account__legacy_identifier", "last_name", "first_name", "jointure"]
    raw_id_fields = ["account", "switched_to"]
    readonly_fields = ["imported_hash", "source", "imported_at", "updated_at", "last_login_at", "switched_at"]

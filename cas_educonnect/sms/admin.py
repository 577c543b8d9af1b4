"""Read-only admin of the SMS sent (statistics, cost control) and of live challenges (support)."""

from __future__ import annotations

from django.contrib import admin

from .models import CodeChallenge, SentSms


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SentSms)
class SentSmsAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "purpose", "number_masked", "status", "error_code", "provider_id", "backend"]
    list_filter = ["status", "purpose", "error_code"]
    date_hierarchy = "created_at"
    search_fields = ["provider_id", "error_code"]


@admin.register(CodeChallenge)
class CodeChallengeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "purpose", "number_masked", "send_count", "failed_attempts", "verified_at"]
    list_filter = ["purpose"]
    date_hierarchy = "created_at"
    exclude = ["code_hash", "number_hash"]

"""What academy operators see of auth's and django-otp's models on the staff admin, in French.

The staff admin's rights come from staff roles, delegations and the superuser flag (academy
operator), never from Django's groups and model permissions: the user page leaves them out
(their names are Django's English « Can add ... ») and groups are not served here
(``EduconnectAdminSite.not_adopted``). TOTP devices are listed read only under a French proxy:
a device is made only through an enrolment link and removed by the staff roles' reset action
(audited), and its key or QR code, the second factor itself, is never shown.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cas_educonnect.staff.admin.base import yes_no
from cas_educonnect.staff.admin.site import operators_only, site
from cas_educonnect.staff.models import AuthenticatorDevice

User = get_user_model()


def _label(model, name: str) -> str:
    return model._meta.get_field(name).verbose_name


class StaffUserAdmin(UserAdmin):
    """Django's user admin without groups and model permissions; dates read only."""

    list_display = ["username", "email", "first_name", "last_name", "staff", "operator"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password_link")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["password_link", "last_login", "date_joined"]

    @admin.display(description=_label(User, "is_staff"), ordering="is_staff")
    def staff(self, obj) -> str:
        return yes_no(obj.is_staff)

    @admin.display(description=_label(User, "is_superuser"), ordering="is_superuser")
    def operator(self, obj) -> str:
        return yes_no(obj.is_superuser)

    @admin.display(description=_label(User, "password"))
    def password_link(self, obj) -> str:
        """A link to the password form (Django's widget is a label tied to no field)."""
        if obj is None or obj.pk is None:
            return ""
        text = _("Reset password") if obj.has_usable_password() else _("Set password")
        url = reverse(f"{self.admin_site.name}:auth_user_password_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, text)


class AuthenticatorDeviceAdmin(admin.ModelAdmin):
    """Who has an authentication application (TOTP device), read only."""

    list_display = ["holder", "device_name", "created", "last_used", "is_confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    fields = readonly_fields = ["holder", "device_name", "created", "last_used", "is_confirmed"]
    ordering = ["user__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("user"), ordering="user__username")
    def holder(self, obj: AuthenticatorDevice) -> str:
        return obj.user.get_username()

    @admin.display(description=_("name"), ordering="name")
    def device_name(self, obj: AuthenticatorDevice) -> str:
        return obj.name

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, obj: AuthenticatorDevice):
        return obj.created_at

    @admin.display(description=_("last used at"), ordering="last_used_at")
    def last_used(self, obj: AuthenticatorDevice):
        return obj.last_used_at

    @admin.display(description=_("confirmed"), ordering="confirmed")
    def is_confirmed(self, obj: AuthenticatorDevice) -> str:
        return yes_no(obj.confirmed)


site.register(User, operators_only(StaffUserAdmin))
site.register(AuthenticatorDevice, operators_only(AuthenticatorDeviceAdmin))

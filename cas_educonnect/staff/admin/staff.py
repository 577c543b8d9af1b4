"""Admins of staff roles, delegations (granted and revoked by heads) and the audit log."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cas_educonnect.conf import settings
from cas_educonnect.staff.admin.base import SchoolFilter, ScopedAdmin
from cas_educonnect.staff.admin.devices import enrolment_url, has_confirmed_device
from cas_educonnect.staff.admin.otp import reset_devices
from cas_educonnect.staff.admin.site import site
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.models import DELEGATION_RIGHTS, AuditAction, AuditLog, Delegation, StaffRole


@admin.register(StaffRole, site=site)
class StaffRoleAdmin(ScopedAdmin):
    """Roles are given by academy operators; heads see the staff of their schools."""

    heads_only = True
    list_display = ["user", "role", "establishment", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "establishment__uai", "establishment__name"]
    raw_id_fields = ["user"]
    actions = ["reset_otp_devices"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and obj.user.is_staff and not has_confirmed_device(obj.user):
            _show_enrolment_link(request, obj.user, self.admin_site.name)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("reset_otp_devices", None)
        return actions

    @admin.action(description=_("Reset the OTP devices of the selected staff"))
    def reset_otp_devices(self, request, queryset):
        if not request.user.is_superuser:
            return
        users = {role.user for role in queryset.select_related("user", "establishment")}
        for user in users:
            count = reset_devices(user)
            detail = ngettext("%(user)s: %(count)d device", "%(user)s: %(count)d devices", count) % {
                "user": user.get_username(),
                "count": count,
            }
            record(request.user, AuditAction.DEVICES_RESET, detail=detail)
            if user.is_staff:
                _show_enrolment_link(request, user, self.admin_site.name)
        messages.success(
            request,
            ngettext("%d staff member must enrol again.", "%d staff members must enrol again.", len(users))
            % len(users),
        )


def _show_enrolment_link(request, user, site_name: str) -> None:
    """Show the member's enrolment link once, to the operator who must hand it over."""
    messages.warning(
        request,
        _("Enrolment link of %(user)s, valid %(hours)d h and usable once (shown only now): %(url)s")
        % {
            "user": user.get_username(),
            "hours": settings.CAS_EDUCONNECT_ADMIN_ENROLMENT_LINK_VALIDITY // 3600,
            "url": enrolment_url(request, user, site_name),
        },
    )


# What a head sets on a delegation: the agent, the school, the period and the rights.
DELEGATION_FIELDS = [
    "agent",
    "establishment",
    "starts_on",
    "ends_on",
    "may_change_settings",
    "may_change_services",
    "may_change_letters",
]


class DelegationForm(forms.ModelForm):
    # The staff member granting (set per request by DelegationAdmin.get_form): never the agent.
    granting_user = None

    class Meta:
        model = Delegation
        fields = DELEGATION_FIELDS

    def clean(self):
        data = super().clean()
        agent, school = data.get("agent"), data.get("establishment")
        if agent is not None and self.granting_user is not None and agent.pk == self.granting_user.pk:
            raise forms.ValidationError(_("You cannot delegate your own rights to yourself."))
        if agent and school and not StaffRole.objects.filter(user=agent, establishment=school).exists():
            raise forms.ValidationError(_("This person is not a staff member of this school."))
        return data


@admin.register(Delegation, site=site)
class DelegationAdmin(ScopedAdmin):
    """A head grants an agent of his school rights for a period; revoking keeps the row."""

    heads_only = True
    form = DelegationForm
    list_display = ["agent", "establishment", "starts_on", "ends_on", "granted_by", "revoked_at", "active"]
    list_filter = [SchoolFilter]
    actions = ["revoke"]

    @admin.display(boolean=True, description=_("active"))
    def active(self, obj: Delegation) -> bool:
        return obj.is_active

    def get_fields(self, request, obj=None):
        return list(DELEGATION_FIELDS)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"granting_user": request.user})

    def get_readonly_fields(self, request, obj=None):
        return ["agent", "establishment", "starts_on"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.revoked_at is None)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if not change:
                obj.granted_by = request.user
            super().save_model(request, obj, form, change)
            period = (
                f"{obj.starts_on:%d/%m/%Y} – {obj.ends_on:%d/%m/%Y}" if obj.ends_on else f"{obj.starts_on:%d/%m/%Y}"
            )
            record(
                request.user,
                AuditAction.DELEGATION_GRANTED,
                obj.establishment,
                detail=f"{obj.agent.get_username()} {period} rights: "
                + (", ".join(r for r in DELEGATION_RIGHTS if getattr(obj, f"may_change_{r}")) or "accounts only"),
            )

    @admin.action(description=_("Revoke the selected delegations"))
    def revoke(self, request, queryset):
        count = 0
        with transaction.atomic():
            for delegation in queryset.filter(revoked_at__isnull=True).select_related("agent", "establishment"):
                delegation.revoked_at = timezone.now()
                delegation.revoked_by = request.user
                delegation.save(update_fields=["revoked_at", "revoked_by"])
                record(
                    request.user,
                    AuditAction.DELEGATION_REVOKED,
                    delegation.establishment,
                    detail=delegation.agent.get_username(),
                )
                count += 1
        messages.success(request, ngettext("%d delegation revoked.", "%d delegations revoked.", count) % count)


@admin.register(AuditLog, site=site)
class AuditLogAdmin(ScopedAdmin):
    heads_only = True
    read_only = True
    list_display = ["created_at", "actor_username", "action", "establishment", "accounts", "detail"]
    list_filter = ["action"]
    search_fields = ["actor_username", "identifiers", "detail"]
    date_hierarchy = "created_at"

    @admin.display(description=_("accounts"))
    def accounts(self, obj: AuditLog) -> str:
        return ", ".join(obj.identifiers[:10]) + (" …" if len(obj.identifiers) > 10 else "")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.exclude(establishment__isnull=True)

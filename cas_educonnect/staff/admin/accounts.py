"""Per-account support: search, state at a glance, and the support actions of seed 004 §3.2."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models import Account, Division, Mef, Pupil
from cas_educonnect.staff import refusals, schoolyear
from cas_educonnect.staff.admin import support
from cas_educonnect.staff.admin.base import ScopedAdmin, yes_no
from cas_educonnect.staff.admin.pages import state_dot
from cas_educonnect.staff.admin.site import site
from cas_educonnect.staff.scoping import accounts_for, pupils_for, scoped_account_people


class InitialFilter(admin.SimpleListFilter):
    """First letter(s) of the pupil's (or represented pupil's) name."""

    title = _("name starts with")
    parameter_name = "initials"

    def lookups(self, request, model_admin):
        return [(c, c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        pupils = pupils_for(request.user)
        return queryset.filter(
            Q(pupils__in=pupils.filter(last_name__istartswith=value))
            | Q(representatives__pupils__in=pupils.filter(last_name__istartswith=value))
        ).distinct()


def scoped_pupil_filter(schools, **lookup) -> Q:
    """Accounts with a pupil of ``schools`` matching ``lookup``, as a pupil or a representative.

    Each condition names the same pupil as the school check, so an id of another school's
    class finds nothing (it would tell which accounts have a child there).
    """
    own = Pupil.objects.filter(establishment__in=schools, **lookup)
    return Q(pk__in=Account.objects.filter(Q(pupils__in=own) | Q(representatives__pupils__in=own)).values("pk"))


class ScopedFilter(admin.SimpleListFilter):
    """A list filter that knows its admin, hence the staff member's schools."""

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)


class DivisionFilter(ScopedFilter):
    title = _("division")
    parameter_name = "division"

    def lookups(self, request, model_admin):
        divisions = Division.objects.filter(establishment__in=model_admin.schools(request)).select_related(
            "establishment"
        )
        return [(d.pk, f"{d} ({d.establishment.uai})") for d in divisions]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(scoped_pupil_filter(self.model_admin.schools(request), division_id=self.value()))


class MefFilter(ScopedFilter):
    title = _("MEF")
    parameter_name = "mef"

    def lookups(self, request, model_admin):
        mefs = Mef.objects.filter(pupils__establishment__in=model_admin.schools(request)).distinct()
        return [(m.pk, str(m)) for m in mefs]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(scoped_pupil_filter(self.model_admin.schools(request), mef_id=self.value()))


@admin.register(Account, site=site)
class AccountAdmin(ScopedAdmin):
    list_display = [
        "identifier",
        "holder",
        "pupil_division",
        "pupil_birth_date",
        "pupil_mef",
        "kind",
        "state_badge",
        "access",
        "notified_at",
        "notification_mode",
        "last_used_at",
    ]
    list_filter = [InitialFilter, "state", "kind", DivisionFilter, MefFilter]
    search_fields = ["identifier", "pupils__last_name", "pupils__first_name", "representatives__last_name"]
    list_per_page = 50
    change_form_template = "cas_educonnect/admin/account_change_form.html"
    readonly_fields = [
        "identifier",
        "kind",
        "state_badge",
        "holder",
        "pupil_division",
        "email",
        "email_validated_text",
        "pending_email",
        "notified_at",
        "notification_mode",
        "activated_at",
        "last_used_at",
        "closed_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        qs = accounts_for(request.user) if not request.user.is_superuser else Account.objects.all()
        # Only the pupils of the user's schools: a shared parent's other children stay unseen.
        return scoped_account_people(request.user, qs)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("state"), ordering="state")
    def state_badge(self, obj: Account) -> str:
        return state_dot(obj, schoolyear.is_carried_over(obj))

    @admin.display(description=Account._meta.get_field("email_validated").verbose_name)
    def email_validated_text(self, obj: Account) -> str:
        """« Oui » / « Non »: a read-only boolean shows Django's icon with the alt « True »/« False »."""
        return yes_no(obj.email_validated)

    @admin.display(description=_("Access to online services"))
    def access(self, obj: Account) -> str:
        return refusals.access_text(obj)

    @admin.display(description=_("holder"))
    def holder(self, obj: Account) -> str:
        people = list(obj.pupils.all()) or list(obj.representatives.all())
        return ", ".join(str(p) for p in people)

    @staticmethod
    def _pupils(obj: Account) -> list:
        """The pupils the account covers in scope: its own, or every child of a (grouped) parent."""
        return list(obj.pupils.all()) or [p for r in obj.representatives.all() for p in r.pupils.all()]

    @admin.display(description=_("pupil (division)"))
    def pupil_division(self, obj: Account) -> str:
        return ", ".join(f"{p} ({p.division})" if p.division_id else str(p) for p in self._pupils(obj))

    @admin.display(description=_("birth date"))
    def pupil_birth_date(self, obj: Account) -> str:
        return ", ".join(date_format(p.birth_date, "d/m/Y") for p in self._pupils(obj) if p.birth_date)

    @admin.display(description=_("MEF"))
    def pupil_mef(self, obj: Account) -> str:
        return ", ".join(dict.fromkeys(str(p.mef) for p in self._pupils(obj) if p.mef_id))

    def get_urls(self):
        return support.urls(self) + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), **(support.context(self, request, obj) if obj else {})}
        return super().change_view(request, object_id, form_url, extra_context)

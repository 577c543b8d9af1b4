"""The contract of every admin of the package: querysets, forms and rights limited to the
staff member's schools.

Django model permissions are not used for school staff: the scope decides. A head or a
delegated agent sees and changes only rows reachable from his schools; rows outside are
absent from querysets, so their pages answer "not found" and their actions do nothing.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models import Account, Division, Establishment, Group, Pupil
from cas_educonnect.staff.scoping import establishments_for, headed_by, schools_with_right


def yes_no(value: bool | None) -> str:
    """A boolean as words (« Oui », « Non », « Inconnu »): Django's admin shows one as an icon
    whose alt is the raw English ``True``/``False``."""
    return {True: _("Yes"), False: _("No")}.get(value, _("Unknown"))


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin filtered by ``scope_path`` (lookup from the model to its Establishment).

    ``heads_only``: only heads (and operators) may see it, not delegated agents.
    ``rights``: heads, and agents whose delegation grants one of these rights (``DELEGATION_RIGHTS``).
    ``read_only``: nobody adds, changes or deletes through it (logs, reports).
    """

    scope_path: str = "establishment"
    heads_only: bool = False
    rights: tuple[str, ...] = ()
    read_only: bool = False

    def schools(self, request: HttpRequest) -> QuerySet[Establishment]:
        cache = "_educonnect_heads" if self.heads_only else "_educonnect_schools"
        if self.rights:
            cache = "_educonnect_rights_" + "_".join(self.rights)
        if not hasattr(request, cache):
            user = request.user
            if self.rights:
                schools = Establishment.objects.none()
                for right in self.rights:
                    schools = schools | schools_with_right(user, right)
                setattr(request, cache, schools.distinct())
            else:
                setattr(request, cache, headed_by(user) if self.heads_only else establishments_for(user))
        return getattr(request, cache)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.scope_path}__in": self.schools(request)}).distinct()

    def _in_scope(self, request: HttpRequest, obj=None) -> bool:
        if not self.schools(request).exists():
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._in_scope(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._in_scope(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not self.read_only and self._in_scope(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self.read_only and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self.read_only and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = scoped_choices(db_field.related_model, self.schools(request), request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = scoped_choices(db_field.related_model, self.schools(request), request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def scoped_choices(model, schools: QuerySet[Establishment], request: HttpRequest) -> QuerySet:
    """Choices offered in forms: never a row of another school."""
    manager = model._default_manager
    if request.user.is_superuser:
        return manager.all()
    if model is Establishment:
        return schools
    if model in (Division, Group, Pupil):
        return manager.filter(establishment__in=schools)
    if model is Account:
        return manager.filter(pupils__establishment__in=schools).distinct()
    if model is get_user_model():
        # Only staff of these schools: never list the users of other schools or of pupils.
        return manager.filter(educonnect_roles__establishment__in=schools, is_staff=True).distinct()
    return manager.all()


class SchoolFilter(admin.SimpleListFilter):
    """Filter on the school, offering only the staff member's schools (never all of them)."""

    title = _("school")
    parameter_name = "school"

    def lookups(self, request, model_admin):
        return [(s.pk, str(s)) for s in model_admin.schools(request)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(establishment_id=self.value())

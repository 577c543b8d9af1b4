"""Admin of school settings: portal texts, contact link, useful links, letters."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models import SiecleModule
from cas_educonnect.staff.admin.base import ScopedAdmin
from cas_educonnect.staff.admin.site import site
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.letters import FIELDS
from cas_educonnect.staff.models import AuditAction, SchoolSettings, UsefulLink
from cas_educonnect.staff.scoping import schools_with_right

SETTINGS_FIELDS = ["welcome_message", "contact_active", "contact_email", "siecle_modules"]
LETTER_FIELDS = [
    "letter_type",
    "ent_url",
    "letter_header",
    "letter_body_representative",
    "letter_body_pupil",
    "letter_body_continuity",
]

LETTER_HELP = format_lazy(
    "{} {}",
    _("Empty texts use the default model; the legal CNIL mention is always printed and cannot be removed."),
    _("Fields you can insert: %(fields)s.") % {"fields": ", ".join(f"[{name}]" for name in FIELDS)},
)


class SchoolSettingsForm(forms.ModelForm):
    siecle_modules = forms.MultipleChoiceField(
        label=_("SIECLE modules used"),
        choices=SiecleModule.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A service needing another SIECLE module cannot be opened."),
    )

    class Meta:
        model = SchoolSettings
        fields = "__all__"


@admin.register(SchoolSettings, site=site)
class SchoolSettingsAdmin(ScopedAdmin):
    rights = ("settings", "letters")
    form = SchoolSettingsForm
    list_display = ["establishment", "letter_type", "contact_active", "updated_at"]
    fieldsets = [
        (None, {"fields": ["establishment"]}),
        (_("Portal"), {"fields": ["welcome_message", "contact_active", "contact_email"]}),
        (_("Online services"), {"fields": ["siecle_modules", "services_activated_at"]}),
        (
            _("Letters"),
            {
                "fields": [
                    "letter_type",
                    "ent_url",
                    "letter_header",
                    "letter_body_representative",
                    "letter_body_pupil",
                    "letter_body_continuity",
                    "letter_slip",
                    "signatory",
                ],
                "description": LETTER_HELP,
            },
        ),
    ]

    actions = ["reset_letters"]
    change_form_template = "cas_educonnect/admin/schoolsettings_change_form.html"

    def get_readonly_fields(self, request, obj=None):
        readonly = ["establishment", "services_activated_at"] if obj else ["services_activated_at"]
        # An agent changes only the parts his delegation grants (the others stay visible).
        for right, fields in (("settings", SETTINGS_FIELDS), ("letters", LETTER_FIELDS)):
            allowed = schools_with_right(request.user, right)
            if obj is not None and not allowed.filter(pk=obj.establishment_id).exists():
                readonly += fields
            elif obj is None and not allowed.exists():
                readonly += fields
        return readonly

    @admin.action(description=_("Reset the letter header and bodies to the default model"))
    def reset_letters(self, request, queryset):
        queryset = queryset.filter(establishment__in=schools_with_right(request.user, "letters"))
        for settings in queryset.select_related("establishment"):
            SchoolSettings.objects.filter(pk=settings.pk).update(
                letter_header="",
                letter_body_representative="",
                letter_body_pupil="",
                letter_body_continuity="",
                letter_slip="",
            )
            record(
                request.user,
                AuditAction.SETTINGS_CHANGED,
                settings.establishment,
                detail=str(_("letters reset to the default model")),
            )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            request.user,
            AuditAction.SETTINGS_CHANGED,
            obj.establishment,
            detail=", ".join(str(form.fields[name].label) for name in form.changed_data),
        )


@admin.register(UsefulLink, site=site)
class UsefulLinkAdmin(ScopedAdmin):
    rights = ("settings",)
    list_display = ["label", "url", "position", "establishment"]
    list_editable = ["position"]
    ordering = ["establishment", "position"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            request.user, AuditAction.SETTINGS_CHANGED, obj.establishment, detail=str(_("useful link: %s") % obj.label)
        )

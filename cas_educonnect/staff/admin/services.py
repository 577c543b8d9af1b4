"""Open and close online services per school (mandatory services stay open).

Until the head activates the online services of his school (his first visit, seed 004 §2.1)
the page shows them greyed with the activation button. A service needing a SIECLE module
the school does not use is greyed; an experimental academic service is listed only in the
schools the academy tries it in; each row says who the service is for.
"""

from __future__ import annotations

from cas_server.models import ServicePattern
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cas_educonnect.models import NOT_SCHOOL_MANAGED
from cas_educonnect.staff.admin.pages import base_context, school_from
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.models import AuditAction, SchoolSettings
from cas_educonnect.staff.scoping import schools_with_right
from cas_educonnect.staff.services import open_services, set_service_open


def school_services(site, request):
    school, schools = school_from(request)
    ctx = base_context(site, request, _("Online services"))
    ctx.update({"school": school, "schools": schools})
    if school is None:
        return render(request, "cas_educonnect/admin/services.html", ctx)
    may_change = schools_with_right(request.user, "services").filter(pk=school.pk).exists()
    school_settings = SchoolSettings.objects.filter(establishment=school).first()
    activated = bool(school_settings and school_settings.services_activated_at)
    if request.method == "POST":
        if not may_change:
            messages.error(request, _("Your delegation does not let you open or close services."))
            return HttpResponseRedirect(request.get_full_path())
        if request.POST.get("activate") == "1":
            return _activate(request, school, school_settings)
        if not activated:
            messages.error(request, _("Activate the online services of the school first."))
            return HttpResponseRedirect(request.get_full_path())
        service = ServicePattern.objects.filter(pk=request.POST.get("service")).first()
        if service is None:
            messages.error(request, _("Unknown service."))
            return HttpResponseRedirect(request.get_full_path())
        is_open = request.POST.get("open") == "1"
        try:
            set_service_open(school, service, is_open)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(request.get_full_path())
        record(
            request.user,
            AuditAction.SERVICE_CHANGED,
            school,
            detail=f"{service.name}: {_('open') if is_open else _('closed')}",
        )
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(request.get_full_path())
    opened = {s.pk for s in open_services(school)}
    modules = set((school_settings.siecle_modules if school_settings else None) or ())
    # The ENT and academic services are not the school's to open or close (seed 004 §2.1),
    # but an experimental academic service is, in the schools the academy listed (§1.2.4).
    listed = Q(educonnect__experimental=True, educonnect__experimental_schools=school)
    services = (
        ServicePattern.objects.select_related("educonnect")
        .filter(~Q(educonnect__category__in=NOT_SCHOOL_MANAGED) | listed)
        .distinct()
        .order_by("pos", "name")
    )
    rows = [_row(s, s.pk in opened, modules) for s in services]
    ctx.update({"rows": rows, "may_change": may_change, "activated": activated})
    return render(request, "cas_educonnect/admin/services.html", ctx)


def _row(service: ServicePattern, is_open: bool, modules: set[str]) -> dict:
    profile = getattr(service, "educonnect", None)
    module = getattr(profile, "siecle_module", "")
    return {
        "service": service,
        "open": is_open,
        "mandatory": bool(getattr(profile, "mandatory", False)),
        "category": profile.get_category_display() if profile else "",
        "audience": profile.get_audience_display() if profile else "",
        "experimental": bool(getattr(profile, "experimental", False)),
        # Greyed: the school does not use the SIECLE application this service needs.
        "missing_module": profile.get_siecle_module_display() if module and module not in modules else "",
    }


def _activate(request, school, school_settings):
    """The head's global activation of the online services (once; audited)."""
    school_settings = school_settings or SchoolSettings(establishment=school)
    if not school_settings.services_activated_at:
        school_settings.services_activated_at = timezone.now()
        school_settings.services_activated_by = request.user.get_username()
        school_settings.save()
        record(request.user, AuditAction.SERVICES_ACTIVATED, school)
    messages.success(request, _("The online services of the school are activated."))
    return HttpResponseRedirect(request.get_full_path())

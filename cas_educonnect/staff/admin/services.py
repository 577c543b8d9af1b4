"""Open and close online services per school (mandatory services stay open)."""

from __future__ import annotations

from cas_server.models import ServicePattern
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from cas_educonnect.models import NOT_SCHOOL_MANAGED
from cas_educonnect.staff.admin.pages import base_context, school_from
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.models import AuditAction
from cas_educonnect.staff.scoping import headed_by
from cas_educonnect.staff.services import open_services, set_service_open


def school_services(site, request):
    school, schools = school_from(request)
    ctx = base_context(site, request, _("Online services"))
    ctx.update({"school": school, "schools": schools})
    if school is None:
        return render(request, "cas_educonnect/admin/services.html", ctx)
    may_change = headed_by(request.user).filter(pk=school.pk).exists()
    if request.method == "POST":
        if not may_change:
            messages.error(request, _("Only the head of school can open or close services."))
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
    rows = [
        {
            "service": s,
            "open": s.pk in opened,
            "mandatory": bool(getattr(getattr(s, "educonnect", None), "mandatory", False)),
            "category": getattr(getattr(s, "educonnect", None), "get_category_display", lambda: "")(),
        }
        # The ENT and academic services are not the school's to open or close (seed 004 §2.1).
        for s in ServicePattern.objects.select_related("educonnect")
        .exclude(educonnect__category__in=NOT_SCHOOL_MANAGED)
        .order_by("pos", "name")
    ]
    ctx.update({"rows": rows, "may_change": may_change})
    return render(request, "cas_educonnect/admin/services.html", ctx)

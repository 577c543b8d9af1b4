"""Site-level staff pages (notification, lists, statistics, online services) and their URLs.

Every page is wrapped by ``site.admin_view`` (verified OTP session, at least one school)
and resolves schools, divisions and jobs through the staff member's scope only.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import path
from django.utils.translation import gettext as _

from cas_educonnect.models import Establishment
from cas_educonnect.staff.scoping import establishments_for


def school_from(request: HttpRequest, value=None) -> tuple[Establishment | None, list[Establishment]]:
    """The school chosen by ``?school=`` among the user's schools (the only one if he has one)."""
    schools = list(establishments_for(request.user).order_by("name"))
    value = value if value is not None else request.GET.get("school") or request.POST.get("school")
    if value:
        match = [s for s in schools if str(s.pk) == str(value)]
        if not match:
            raise Http404(_("No such school in your scope."))
        return match[0], schools
    return (schools[0] if len(schools) == 1 else None), schools


def base_context(site, request: HttpRequest, title: str) -> dict:
    return {**site.each_context(request), "title": title}


def urls(site) -> list:
    from cas_educonnect.staff.admin import lists, notification, services, stats

    def view(func):
        return site.admin_view(lambda request, *a, **kw: func(site, request, *a, **kw))

    return [
        path("educonnect/notify/", view(notification.notify), name="educonnect_notify"),
        path("educonnect/notify/jobs/<int:job_id>/", view(notification.job), name="educonnect_job"),
        path(
            "educonnect/notify/jobs/<int:job_id>/progress/", view(notification.progress), name="educonnect_job_progress"
        ),
        path(
            "educonnect/notify/jobs/<int:job_id>/letters/<str:division>/",
            view(notification.letters),
            name="educonnect_job_letters",
        ),
        path("educonnect/lists/", view(lists.pupil_list), name="educonnect_lists"),
        path("educonnect/stats/", view(stats.statistics), name="educonnect_stats"),
        path("educonnect/services/", view(services.school_services), name="educonnect_services"),
        path("educonnect/letters/preview/", view(lists.letter_preview), name="educonnect_letter_preview"),
    ]

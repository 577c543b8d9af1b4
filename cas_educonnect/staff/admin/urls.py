"""URLs of the site-level staff pages (notification, lists, statistics, online services, enrolment).

Every page is wrapped by ``site.admin_view`` (verified OTP session, at least one school) and
resolves schools, divisions and jobs through the staff member's scope only. The site loads
:func:`urls` by its dotted path (``EduconnectAdminSite.extra_urls``), as Django loads a URLconf.
"""

from __future__ import annotations

from django.urls import path

from cas_educonnect.staff.admin import lists, notification, otp, services, stats, writing


def urls(site) -> list:
    def view(func):
        return site.admin_view(lambda request, *a, **kw: func(site, request, *a, **kw))

    return [
        path("otp/enrol/", otp.EnrolView.as_view(site=site), name="educonnect_enrol"),
        path("otp/enrol/<str:uidb64>/<str:token>/", otp.EnrolLinkView.as_view(site=site), name="educonnect_enrol_link"),
        path("educonnect/notify/", view(notification.notify), name="educonnect_notify"),
        path("educonnect/notify/write/", view(writing.write), name="educonnect_write"),
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

from django.urls import include, path
from django.views.generic import RedirectView

from cas_educonnect.staff.admin import site as educonnect_admin

urlpatterns = [
    path("", RedirectView.as_view(url="/demo-ent/", permanent=False)),
    path("cas/", include("cas_educonnect.urls")),
    path("demo-ent/", include("demo_ent.urls")),
    path("admin/", educonnect_admin.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

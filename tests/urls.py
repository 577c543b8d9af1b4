from django.urls import include, path

from cas_educonnect.staff.admin import site as educonnect_admin

urlpatterns = [
    path("cas/", include("cas_educonnect.urls")),
    path("demo-ent/", include("demo_ent.urls")),
    path("admin/", educonnect_admin.urls),
]

"""The test URLconf as a 0.1 project wrote it (``cas_educonnect.admin.site``)."""

from django.urls import include, path

from cas_educonnect.admin import site as educonnect_admin

urlpatterns = [
    path("cas/", include("cas_educonnect.urls")),
    path("admin/", educonnect_admin.urls),
]

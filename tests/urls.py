from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("cas/", include("cas_educonnect.urls")),
    path("demo-ent/", include("demo_ent.urls")),
    path("admin/", admin.site.urls),
]

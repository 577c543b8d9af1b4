"""URLconf of the stock server: the host's own views only."""

from django.urls import include, path

urlpatterns = [path("cas/", include("cas_server.urls", namespace="cas_server"))]

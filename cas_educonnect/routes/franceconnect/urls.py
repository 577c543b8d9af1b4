"""FranceConnect routes, included under ``cas/franceconnect/`` with namespace ``educonnect_franceconnect``."""

from __future__ import annotations

from django.urls import path

from cas_educonnect.routes.franceconnect import account, first_link, logout, views

app_name = "educonnect_franceconnect"

urlpatterns = [
    path("login", views.login, name="login"),
    path("callback", views.callback, name="callback"),
    path("link", first_link.LinkView.as_view(), name="link"),
    path("logout-callback", logout.logout_callback, name="logout_callback"),
    path("unlink", account.unlink_view, name="unlink"),
]

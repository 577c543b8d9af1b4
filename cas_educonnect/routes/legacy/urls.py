"""Switch pages and the switch offer, mounted under the CAS URLconf as ``cas_server:educonnect_legacy:...``."""

from django.urls import path

from cas_educonnect.routes.legacy import offer, views

app_name = "educonnect_legacy"

urlpatterns = [
    path("bascule/", views.start, name="switch"),
    path("bascule/proposition/", offer.offer, name="offer"),
    path("bascule/confirmation/", views.confirm, name="confirm"),
    path("bascule/naissance/", views.birth_dates, name="birth_dates"),
    path("bascule/mot-de-passe/", views.password, name="password"),
    path("bascule/termine/", views.done, name="done"),
]

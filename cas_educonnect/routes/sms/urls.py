"""Routes of the SMS registration, included without namespace into the CAS URLconf:
reverse them as ``cas_server:educonnect_sms_<name>`` (entry: ``cas_server:educonnect_sms_start``)."""

from __future__ import annotations

from django.urls import path

from cas_educonnect.routes.sms import views

urlpatterns = [
    path("", views.start, name="educonnect_sms_start"),
    path("code/", views.code, name="educonnect_sms_code"),
    path("code/renvoi/", views.resend, name="educonnect_sms_resend"),
    path("compte-existant/", views.returning, name="educonnect_sms_returning"),
    path("dates-de-naissance/", views.birth_dates, name="educonnect_sms_birth_dates"),
    path("mot-de-passe/", views.password, name="educonnect_sms_password"),
]

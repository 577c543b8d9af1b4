"""Routes of the ATEN pages, included under ``/cas/aten/`` in the ``cas_server`` namespace."""

from __future__ import annotations

from django.urls import path

from cas_educonnect.routes.aten.views import account, activation, code, selfservice

EMAIL_LINK = "email/<str:uidb64>/<str:token>/"
RESET_LINK = "reset/<str:uidb64>/<str:token>/"

urlpatterns = [
    path("activate/", activation.ActivationView.as_view(), name="educonnect_aten_activate"),
    path("code/", code.ActivationCodeView.as_view(), name="educonnect_aten_code"),
    path("activate/report/<int:pupil>/", activation.ReportView.as_view(), name="educonnect_aten_report"),
    path("pending/", activation.PendingView.as_view(), name="educonnect_aten_pending"),
    path(
        "email/<str:uidb64>/<str:token>/", activation.EmailConfirmView.as_view(), name="educonnect_aten_email_confirm"
    ),
    path("lost-identifier/", selfservice.LostIdentifierView.as_view(), name="educonnect_aten_lost_identifier"),
    path("lost-password/", selfservice.LostPasswordView.as_view(), name="educonnect_aten_lost_password"),
    path(
        "reset/<str:uidb64>/<str:token>/",
        selfservice.PasswordResetView.as_view(),
        name="educonnect_aten_password_reset",
    ),
    path("account/", account.AccountHomeView.as_view(), name="educonnect_aten_account"),
    path("account/password/", account.ChangePasswordView.as_view(), name="educonnect_aten_change_password"),
    path("account/email/", account.ChangeEmailView.as_view(), name="educonnect_aten_change_email"),
    path("account/group/", account.GroupingView.as_view(), name="educonnect_aten_group"),
]

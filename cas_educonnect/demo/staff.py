"""Demo step: the academy operator (superuser) of the demo."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from cas_educonnect.demo import DemoContext

OPERATOR_USERNAME = "operateur"
OPERATOR_PASSWORD = "demo-operateur-2026"


def run(context: DemoContext) -> None:
    user_model = get_user_model()
    user, created = user_model._default_manager.get_or_create(
        **{user_model.USERNAME_FIELD: OPERATOR_USERNAME},
        defaults={"is_staff": True, "is_superuser": True},
    )
    if created or not user.check_password(OPERATOR_PASSWORD):
        user.set_password(OPERATOR_PASSWORD)
        user.is_staff = user.is_superuser = True
        user.save()
    context.add_account(OPERATOR_USERNAME, OPERATOR_PASSWORD, "active", "Opérateur académique (admin Django)")

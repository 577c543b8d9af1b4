"""The suite's settings written with the dotted paths of cas-educonnect 0.1 (deprecated, see moved.py)."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [  # noqa: F405
    {
        "cas_educonnect.routes.legacy": "cas_educonnect.legacy",
        "cas_educonnect.routes.sms.apps.SmsConfig": "cas_educonnect.sms.apps.SmsConfig",
        "cas_educonnect.routes.franceconnect.apps.FranceConnectConfig": (
            "cas_educonnect.franceconnect.apps.FranceConnectConfig"
        ),
    }.get(app, app)
    for app in INSTALLED_APPS  # noqa: F405
    if app != "cas_educonnect.routes.aten"
]
PASSWORD_HASHERS = [h.replace("cas_educonnect.routes.legacy.", "cas_educonnect.legacy.") for h in PASSWORD_HASHERS]  # noqa: F405
AUTHENTICATION_BACKENDS = [
    "cas_educonnect.auth_backends.accounts.AccountBackend",
    "django.contrib.auth.backends.ModelBackend",
]
CAS_AUTH_CLASS = "cas_educonnect.auth_backends.cas.EduconnectAuthUser"
CAS_USER_CREDENTIAL_FORM = "cas_educonnect.auth_backends.aten.steps.ThrottledUserCredential"
CAS_EDUCONNECT_SMS_BACKEND = "cas_educonnect.sms.backends.locmem.SmsBackend"
CAS_EDUCONNECT_LOGIN_STEPS = [
    "cas_educonnect.attributes.policy.refusal_step",
    "cas_educonnect.legacy.steps.sunset",
    "cas_educonnect.legacy.offer.switch_offer_step",
    "cas_educonnect.auth_backends.aten.steps.activation_step",
    "cas_educonnect.attributes.choice.profile_choice_step",
]
ROOT_URLCONF = "tests.urls_old_paths"

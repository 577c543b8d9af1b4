"""The suite's settings with only the ATEN route: no SMS, FranceConnect nor legacy app.

Proves the optional routes are optional: ``cas_educonnect.urls`` includes only the installed
routes' pages and the login steps of the others are skipped. CI runs the ATEN, account,
attribute and host tests with it (``pytest --ds=tests.settings_aten_only``).
"""

from tests.settings import *  # noqa: F403

OPTIONAL_ROUTES = (
    "cas_educonnect.routes.legacy",
    "cas_educonnect.routes.sms.apps.SmsConfig",
    "cas_educonnect.routes.franceconnect.apps.FranceConnectConfig",
)
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in OPTIONAL_ROUTES]  # noqa: F405
PASSWORD_HASHERS = [h for h in PASSWORD_HASHERS if ".routes.legacy." not in h]  # noqa: F405

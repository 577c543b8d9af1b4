"""The dotted paths of 0.1 keep working for one release, with a DeprecationWarning (cas_educonnect.moved)."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
from django.utils.module_loading import import_string

from cas_educonnect.moved import LAZY, MOVED, new_name
from tests.services import run_django

ROOT = Path(__file__).resolve().parent.parent

#: Dotted paths that 0.1 settings and URLconfs name, with what they name now.
SETTINGS_PATHS = {
    "cas_educonnect.auth_backends.cas.EduconnectAuthUser": "cas_educonnect.auth.cas.EduconnectAuthUser",
    "cas_educonnect.auth_backends.accounts.AccountBackend": "cas_educonnect.auth.backends.AccountBackend",
    "cas_educonnect.auth_backends.aten.steps.ThrottledUserCredential": (
        "cas_educonnect.routes.aten.steps.ThrottledUserCredential"
    ),
    "cas_educonnect.auth_backends.aten.steps.activation_step": "cas_educonnect.routes.aten.steps.activation_step",
    "cas_educonnect.attributes.policy.refusal_step": "cas_educonnect.login.policy.refusal_step",
    "cas_educonnect.attributes.choice.profile_choice_step": "cas_educonnect.login.choice.profile_choice_step",
    "cas_educonnect.legacy.steps.sunset": "cas_educonnect.routes.legacy.steps.sunset",
    "cas_educonnect.legacy.offer.switch_offer_step": "cas_educonnect.routes.legacy.offer.switch_offer_step",
    "cas_educonnect.legacy.hashers.LdapSshaPasswordHasher": (
        "cas_educonnect.routes.legacy.hashers.LdapSshaPasswordHasher"
    ),
    "cas_educonnect.sms.apps.SmsConfig": "cas_educonnect.routes.sms.apps.SmsConfig",
    "cas_educonnect.sms.backends.twilio.SmsBackend": "cas_educonnect.routes.sms.backends.twilio.SmsBackend",
    "cas_educonnect.franceconnect.apps.FranceConnectConfig": (
        "cas_educonnect.routes.franceconnect.apps.FranceConnectConfig"
    ),
    "cas_educonnect.admin.site": "cas_educonnect.staff.admin.site.site",
}


@pytest.mark.parametrize("old", sorted(SETTINGS_PATHS))
def test_an_old_settings_path_names_the_same_object_with_a_warning(old):
    for name in [name for name in sys.modules if new_name(name) is not None]:
        del sys.modules[name]  # as in a fresh process, where the first import warns
    with pytest.warns(DeprecationWarning, match="moved to"):
        found = import_string(old)
    assert found is import_string(SETTINGS_PATHS[old])


@pytest.mark.parametrize("old", sorted(set(MOVED) - LAZY))
def test_every_moved_module_is_the_new_module(old):
    sys.modules.pop(old, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        module = importlib.import_module(old)
    assert module is importlib.import_module(new_name(old))
    assert module.__spec__.name == new_name(old)  # the alias leaves the real module as it was


def test_admin_autodiscovery_of_the_old_package_is_silent_and_registers_nothing():
    sys.modules.pop("cas_educonnect.admin", None)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        module = importlib.import_module("cas_educonnect.admin")  # what autodiscover_modules("admin") does
    with pytest.warns(DeprecationWarning):
        assert module.site is import_string("cas_educonnect.staff.admin.site")


def test_only_old_names_resolve():
    assert new_name("cas_educonnect.sms.backends.console") == "cas_educonnect.routes.sms.backends.console"
    assert new_name("cas_educonnect.sms.demo") == "cas_educonnect.demo.sms"
    assert new_name("cas_educonnect.auth_backends.aten.tokens") == "cas_educonnect.accounts.tokens"
    assert new_name("cas_educonnect.smsx") is None
    assert new_name("cas_educonnect.routes.sms") is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        importlib.import_module("cas_educonnect.sms")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # no warning for a module that exists nowhere
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module("cas_educonnect.sms.no_such_module")


def test_a_project_with_0_1_settings_starts_and_logs_in():
    """A 0.1 settings module: apps, hashers, backends, auth class, steps, URLconf by their old paths."""
    script = textwrap.dedent(
        """
        import json, warnings
        warnings.simplefilter("ignore", DeprecationWarning)
        import django
        django.setup()
        from django.apps import apps
        from django.core import checks
        from django.core.management import call_command
        from django.test.utils import setup_test_environment
        from django.urls import reverse
        call_command("migrate", verbosity=0)
        from django.contrib.auth.hashers import make_password
        from cas_educonnect.models import Account, AccountKind, AccountState
        Account.objects.create(identifier="lea.martin", kind=AccountKind.PUPIL, state=AccountState.ACTIVE,
                               password=make_password("choisi-2026"))
        from cas_educonnect.accounts.passwords import encrypt_provisional_password
        Account.objects.create(identifier="noe.petit", kind=AccountKind.PUPIL, state=AccountState.NOTIFIED,
                               provisional_password=encrypt_provisional_password("prov1234"))
        from django.utils.module_loading import import_string
        from django.conf import settings
        user = import_string(settings.CAS_AUTH_CLASS)("Lea.Martin")
        print(json.dumps({
            "labels": sorted(c.label for c in apps.get_app_configs() if c.name.startswith("cas_educonnect")),
            "names": sorted(c.name for c in apps.get_app_configs() if c.name.startswith("cas_educonnect")),
            "checks": sorted(m.id for m in checks.run_checks() if m.id.startswith("cas_educonnect")),
            "password": user.test_password("choisi-2026"),
            "wrong": import_string(settings.CAS_AUTH_CLASS)("lea.martin").test_password("x"),
            "provisional": import_string(settings.CAS_AUTH_CLASS)("noe.petit").test_password("prov1234"),
            "login_url": reverse("cas_server:login"),
            "admin": reverse("admin:index"),
        }))
        """
    )
    done = run_django(script, "tests.settings_old_paths")  # no DATABASE_URL: SQLite in memory
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"educonnect_legacy", "educonnect_sms", "educonnect_franceconnect"} <= set(result["labels"])
    assert "cas_educonnect.routes.sms" in result["names"]
    assert "cas_educonnect.sms" not in result["names"]
    assert "cas_educonnect.W020" in result["checks"]  # the one new entry 0.2 asks for
    assert result["password"] is True and result["wrong"] is False
    assert result["provisional"] is False  # no ATEN route installed: no activation to lead to
    assert result["login_url"] == "/cas/login" and result["admin"] == "/admin/"

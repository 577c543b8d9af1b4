"""Host settings: no outbound version check by default; our templates; pending migrations."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from cas_server import utils
from django.core.management import call_command

from cas_educonnect import checks
from tests.services import run_django

ROOT = Path(__file__).resolve().parents[2]


def test_version_warnings_default_to_false(settings):
    # tests/settings.py leaves them unset: the host's own default is True.
    assert settings.CAS_NEW_VERSION_HTML_WARNING is False
    assert settings.CAS_NEW_VERSION_EMAIL_WARNING is False
    # So page rendering never asks PyPI for the last version.
    assert "LAST_VERSION" not in utils.context({})
    assert checks.check_host_version_warnings() == []


def test_check_warns_when_version_warning_is_on(settings):
    settings.CAS_NEW_VERSION_HTML_WARNING = True
    assert [m.id for m in checks.check_host_version_warnings()] == ["cas_educonnect.W010"]


def test_project_values_win_over_our_host_defaults(tmp_path):
    """In a fresh process: our defaults fill only what the project left unset."""
    (tmp_path / "proj_settings.py").write_text(
        textwrap.dedent(
            """
            from tests.settings import *  # noqa
            CAS_NEW_VERSION_EMAIL_WARNING = True
            CAS_LOGIN_TEMPLATE = "custom/login.html"
            del CAS_LOGGED_TEMPLATE
            """
        )
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CAS_NEW_VERSION_HTML_WARNING, s.CAS_NEW_VERSION_EMAIL_WARNING, "
        "s.CAS_LOGIN_TEMPLATE, s.CAS_LOGGED_TEMPLATE)"
    )
    out = run_django(code, "proj_settings", tmp_path, check=True)
    assert out.stdout.split() == ["False", "True", "custom/login.html", "cas_educonnect/host/logged.html"]


@pytest.mark.django_db
@pytest.mark.parametrize("app", ["cas_server", "cas_educonnect", None])
def test_no_pending_migrations(app):
    """makemigrations --check exits 1 on pending changes (the host has some without our AppConfig)."""
    labels = [app] if app else []
    try:
        call_command("makemigrations", *labels, check=True, dry_run=True, verbosity=0)
    except SystemExit as exit_:  # raised only when changes are detected
        pytest.fail(f"pending migrations for {app or 'the project'} (exit {exit_.code})")


def test_host_migrations_come_from_our_package():
    """Nothing to generate in site-packages: the host's missing step ships with us."""
    from django.db.migrations.loader import MigrationLoader

    from cas_educonnect.host.patches import HOST_MIGRATIONS

    assert MigrationLoader.migrations_module("cas_server")[0] == HOST_MIGRATIONS
    loader = MigrationLoader(None, ignore_no_migrations=True)
    host_squashed = loader.disk_migrations[("cas_server", "0001_squashed_0013_auto_20170329_1748")]
    assert type(host_squashed).__module__ == "cas_server.migrations.0001_squashed_0013_auto_20170329_1748"
    assert ("cas_server", "0014_alter_federateduser_last_update_and_more") in loader.disk_migrations

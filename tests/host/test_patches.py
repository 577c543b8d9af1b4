"""The host patches: one list, applied once, and only on the host version they were checked against."""

from __future__ import annotations

import hashlib
import inspect
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from cas_educonnect.host import patches
from tests.services import run_django

ROOT = Path(__file__).resolve().parents[2]


def _function(obj):
    return getattr(obj, "__func__", obj)


def test_every_patch_is_installed():
    for patch in patches.PATCHES:
        installed = patches.current(patch.target)
        assert _function(installed) is import_string(patch.replacement), patch.target
        assert isinstance(installed, classmethod) == (patch.wrap == "classmethod"), patch.target
        assert _function(patches.ORIGINALS[patch.target]).__module__.startswith("cas_server."), patch.target


def test_install_is_idempotent_and_keeps_the_host_originals():
    before = dict(patches.ORIGINALS)
    patches.install()
    patches.install()
    assert patches.ORIGINALS == before
    test_every_patch_is_installed()


def test_host_originals_come_back_only_inside_the_block():
    from cas_server import utils

    with patches.host_originals():
        assert utils._gen_ticket is patches.ORIGINALS["cas_server.utils._gen_ticket"]
    test_every_patch_is_installed()


@pytest.mark.parametrize("patch", patches.PATCHES, ids=lambda p: p.target)
def test_host_code_is_the_code_that_was_checked(patch):
    """A host release changing a patched function fails here: re-read it, then update its entry."""
    assert patch.checked == patches.host_version(), f"re-check {patch.target} against the installed host"
    digest = hashlib.sha256(inspect.getsource(_function(patches.ORIGINALS[patch.target])).encode()).hexdigest()
    assert digest == patch.source_sha256, f"{patch.target} changed in the host: new digest {digest}"


@pytest.mark.parametrize("version", ["3.1.0", "3.1.1", "3.1.2rc1"])
def test_supported_series(version):
    patches.check_host_version(version)


@pytest.mark.parametrize("version", ["3.2.0", "3.0.9", "4.1.0", "3.10.0"])
def test_other_versions_are_refused(version):
    with pytest.raises(ImproperlyConfigured, match=f"django-cas-server {version} is installed"):
        patches.check_host_version(version)


def test_ready_refuses_another_installed_version(monkeypatch):
    monkeypatch.setattr(patches.importlib.metadata, "version", lambda name: "3.2.0")
    with pytest.raises(ImproperlyConfigured, match="patches django-cas-server 3.1.x"):
        apps.get_app_config("cas_server").ready()


def test_django_setup_fails_on_another_host_version(tmp_path):
    """In a fresh process, with metadata saying 3.2.0 first on the path: nothing can start."""
    dist_info = tmp_path / "django_cas_server-3.2.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: django-cas-server\nVersion: 3.2.0\n")
    code = (
        "import importlib.metadata as m; assert m.version('django-cas-server') == '3.2.0'; "
        "import django; django.setup()"
    )
    result = run_django(code, "tests.settings", tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "django-cas-server 3.2.0 is installed" in result.stderr


def test_setting_defaults_are_the_host_defaults():
    assert list(patches.HOST_DEFAULTS) == [default.name for default in patches.SETTING_DEFAULTS]
    assert all(default.name.startswith("CAS_") and default.why for default in patches.SETTING_DEFAULTS)

"""Every page forbids framing and carries the CSP; the deployment settings harden cookies and TLS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from .routes import walk

ROOT = Path(__file__).resolve().parents[2]
ROUTES = [r for r in walk() if r.name not in {"cas_server:auth"}]


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r.path for r in ROUTES])
def test_every_answer_forbids_framing_and_has_the_policy(route):
    response = Client().get(route.path)
    assert response["X-Frame-Options"] == "DENY"
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, policy
    assert "object-src 'none'" in policy
    # No remote origin anywhere: DSFR is served from our static files.
    assert "http" not in policy.replace("https:", "")


@pytest.mark.django_db
def test_the_login_page_needs_no_inline_script(client):
    body = client.get("/cas/login").content.decode()
    for chunk in body.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag or "nonce=" in tag, tag


def test_production_settings_harden_cookies_and_tls():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_project.settings_production",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_project")]),
        "SECRET_KEY": "x" * 60 + "production-like-secret-key-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "cas.example.org",
        "PROVISIONAL_PASSWORD_KEYS": "k3E4bJp9vJkq0s3o6m8yTqzv8Gz3cY7Hn2Rr1WfXo0A=",
        "OPAQUE_ID_KEY": "an-opaque-id-key-for-the-test",
        "ACADEMY_CODE": "DEMO",
        "DATABASE_URL": "postgres://cas@127.0.0.1:5432/cas",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "names = [n for n in dir(s) if n.endswith(('_SECURE', '_HTTPONLY', '_SAMESITE'))];"
        "print(json.dumps({n: getattr(s, n) for n in names + ['DEBUG', 'SECURE_SSL_REDIRECT',"
        " 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', 'SESSION_ENGINE', 'X_FRAME_OPTIONS']}))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout)
    for prefix in ("SESSION", "CSRF", "LANGUAGE"):
        assert values[f"{prefix}_COOKIE_SECURE"] is True
        assert values[f"{prefix}_COOKIE_HTTPONLY"] is True
        assert values[f"{prefix}_COOKIE_SAMESITE"] == "Lax"
    assert values["DEBUG"] is False and values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # And Django's own deployment checks have nothing left to say about them.
    check = subprocess.run(
        [sys.executable, "example_project/manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    # W021 (HSTS preload) is left to the operator: joining the browsers' preload list is one-way.
    warnings = [line for line in (check.stdout + check.stderr).splitlines() if "security.W" in line]
    assert [w for w in warnings if "security.W021" not in w] == [], warnings


def test_production_settings_refuse_to_start_without_their_secrets():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "example_project.settings_production"
    env["PYTHONPATH"] = f"{ROOT}:{ROOT}/example_project"
    code = "import django; django.setup()"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "KeyError" in done.stderr

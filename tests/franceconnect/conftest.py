"""Fixtures: a real OpenID provider (node ``oidc-provider``) behind a tampering proxy, and a driver.

The provider is installed with npm into ``.cache/oidc-provider/`` on first use. Without
node/npm every test here is skipped with that reason (``-ra`` prints it), never silently.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from cas_server.models import ReplaceAttributName, ServicePattern
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from joserfc.jwk import ECKey, KeySet, RSAKey

from cas_educonnect.models import AccountKind, AccountState
from cas_educonnect.routes.franceconnect.models import FranceConnectLink

from .proxy import TamperingProxy

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "oidc-provider"
SCRIPT = Path(__file__).with_name("fc_provider.mjs")
V2_SECRET = "fs-v2-secret-0123456789abcdef0123456789abcdef"
V1_SECRET = "fs-v1-secret-0123456789abcdef0123456789abcdef"
_install_lock = threading.Lock()


def _ensure_provider_package() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are required to run the FranceConnect tests against node oidc-provider")
    modules = CACHE / "node_modules"
    with _install_lock:
        if not (modules / "oidc-provider" / "package.json").exists():
            CACHE.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [npm, "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", "oidc-provider@9"],
                check=True,
                capture_output=True,
                timeout=300,
            )
    return modules


@pytest.fixture(scope="session")
def fc_keys(tmp_path_factory) -> KeySet:
    """The provider's signing keys, generated here so the tampering proxy can re-sign with them."""
    keys = KeySet(
        [
            ECKey.generate_key("P-256", {"kid": "fc-es256", "alg": "ES256", "use": "sig"}, private=True),
            RSAKey.generate_key(2048, {"kid": "fc-rs256", "alg": "RS256", "use": "sig"}, private=True),
        ]
    )
    return keys


@pytest.fixture(scope="session")
def fc_provider(live_server, fc_keys, tmp_path_factory):
    """A running FranceConnect-like provider; yields a dict with issuer, proxy, identities, control."""
    modules = _ensure_provider_package()
    keys_file = tmp_path_factory.mktemp("fc") / "keys.json"
    keys_file.write_text(json.dumps(fc_keys.as_dict(private=True)))
    proxy = TamperingProxy()
    proxy.start()
    env = {
        **os.environ,
        "FC_PORT": "0",
        "FC_ISSUER": f"{proxy.base_url}/api/v2",
        "FC_RP_BASE": live_server.url,
        "FC_KEYS": str(keys_file),
        "FC_CONTROL": "1",
        "FC_MODULES": str(modules),
    }
    process = subprocess.Popen(
        ["node", str(SCRIPT)], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        line = process.stdout.readline()
        if not line:
            pytest.fail("the node oidc-provider did not start")
        info = json.loads(line)
        proxy.upstream_port = info["listening"]
        control = f"http://127.0.0.1:{info['listening']}/control"
        yield {"issuer": info["issuer"], "proxy": proxy, "identities": info["identities"], "control": control}
    finally:
        process.terminate()
        process.wait(timeout=10)
        proxy.stop()


@pytest.fixture
def fc(fc_provider, settings, transactional_db):
    """Settings pointing at the provider (v2 profile), a clean cache, identity ``angela`` at eidas1."""
    fc_provider["proxy"].reset()
    cache.clear()
    requests.post(fc_provider["control"], json={"identity": "angela", "acr": "eidas1"}, timeout=5)
    settings.CAS_EDUCONNECT_FRANCECONNECT_PROFILE = "v2"
    settings.CAS_EDUCONNECT_FRANCECONNECT_ISSUER = fc_provider["issuer"]
    settings.CAS_EDUCONNECT_FRANCECONNECT_CLIENT_ID = "fs-v2"
    settings.CAS_EDUCONNECT_FRANCECONNECT_CLIENT_SECRET = V2_SECRET
    settings.CAS_EDUCONNECT_FRANCECONNECT_TIMEOUT = 5
    return fc_provider


@pytest.fixture
def use_v1(fc, settings):
    """Switch to the v1 profile: endpoints configured, HS256 id_token, JSON userinfo."""
    issuer = fc["issuer"]
    settings.CAS_EDUCONNECT_FRANCECONNECT_PROFILE = "v1"
    settings.CAS_EDUCONNECT_FRANCECONNECT_CLIENT_ID = "fs-v1"
    settings.CAS_EDUCONNECT_FRANCECONNECT_CLIENT_SECRET = V1_SECRET
    settings.CAS_EDUCONNECT_FRANCECONNECT_ENDPOINTS = {
        "authorization": f"{issuer}/authorize",
        "token": f"{issuer}/token",
        "userinfo": f"{issuer}/userinfo",
        "end_session": f"{issuer}/session/end",
    }
    return fc


@pytest.fixture
def service(live_server, transactional_db) -> str:
    """A CAS service URL (the demo ENT of the live server) releasing every attribute."""
    url = f"{live_server.url}/demo-ent/"
    pattern = ServicePattern.objects.create(name="ENT", pattern="^" + re.escape(url), pos=1)
    ReplaceAttributName.objects.create(service_pattern=pattern, name="*", replace="")
    return url


@pytest.fixture
def linked_account(fc, representative_factory, pupil_factory, account_factory):
    """Angela DUBOIS, representative with an active account already linked to her FranceConnect sub."""
    rep = representative_factory(children=[pupil_factory()], last_name="Dubois", first_name="Angela")
    account = account_factory(
        kind=AccountKind.REPRESENTATIVE,
        state=AccountState.ACTIVE,
        representatives=[rep],
        password=make_password("Mdp-1234!"),
    )
    FranceConnectLink.objects.create(account=account, sub=fc["identities"]["angela"])
    return account


class Browser:
    """A requests session following redirects by hand, as a browser would, between RP and provider."""

    def __init__(self, live_server_url: str) -> None:
        self.base = live_server_url
        self.http = requests.Session()

    def get(self, url: str, **params) -> requests.Response:
        return self.http.get(urljoin(self.base, url), params=params or None, allow_redirects=False, timeout=15)

    def start(self, service: str = "") -> str:
        """GET our FranceConnect entry; return the authorize URL it redirects to."""
        response = self.get("/cas/franceconnect/login", **({"service": service} if service else {}))
        assert response.status_code == 302, response.content[:500]
        return response.headers["Location"]

    def through_provider(self, url: str) -> str:
        """Follow the provider's redirects (auto login and consent) until it sends us back; return that URL."""
        for _ in range(12):
            if url.startswith(self.base):
                return url
            response = self.http.get(url, allow_redirects=False, timeout=15)
            if "Location" not in response.headers:
                form = re.search(r'<form[^>]*action="([^"]+)"', response.text)  # the auto-submitted logout form
                assert form, f"{response.status_code} {response.text[:300]}"
                fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', response.text))
                response = self.http.post(form.group(1), data=fields, allow_redirects=False, timeout=15)
            url = urljoin(response.url, response.headers["Location"])
        raise AssertionError("too many redirects at the provider")

    def login(self, service: str = "") -> requests.Response:
        """The whole round trip; returns our callback's response."""
        return self.get(self.through_provider(self.start(service)))

    def follow_to_service(self, response: requests.Response, service: str) -> str:
        """Follow our redirects until the service URL with its ticket; return the ticket."""
        for _ in range(6):
            assert response.status_code in (301, 302), response.content[:800]
            location = urljoin(self.base, response.headers["Location"])
            if location.startswith(service):
                return parse_qs(urlsplit(location).query)["ticket"][0]
            response = self.http.get(location, allow_redirects=False, timeout=15)
        raise AssertionError("never reached the service")


@pytest.fixture
def browser(live_server):
    browser = Browser(live_server.url)
    yield browser
    browser.http.close()  # no keep-alive request thread outliving the test database

"""Attacks on the FranceConnect callback: each is refused and no session (nor link) is created.

Callback-side attacks (state, code, nonce) are made in the browser, as an attacker would.
Token-side attacks (iss, aud, exp, alg, kid, acr, userinfo sub) need an answer the real
provider would never give: the tampering proxy in front of it decodes the provider's real
id_token or userinfo and re-signs it with the provider's own key after changing one claim,
so each test proves the claim check itself, not merely the signature check.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from cas_server.models import User
from joserfc import jws, jwt
from joserfc.jwk import ECKey

from cas_educonnect.routes.franceconnect.models import FranceConnectLink

pytestmark = pytest.mark.node


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    for k, v in changes.items():
        if v is None:
            query.pop(k, None)
        else:
            query[k] = v
    return urlunsplit(parts._replace(query=urlencode(query)))


def assert_refused(browser, response, reason: str, sessions_before: int = 0) -> None:
    assert response.status_code == 400, response.text[:300]
    assert f'data-reason="{reason}"' in response.text, response.text[response.text.find("data-reason") :][:80]
    assert "Autres moyens de connexion" in response.text
    assert User.objects.count() == sessions_before  # no CAS SSO session opened
    # Nothing of the identity was kept for a first link either.
    assert browser.get("/cas/franceconnect/link").headers["Location"].startswith("/cas/login")


def resign(raw: str, key, alg: str = "ES256", **changes) -> str:
    """The same JWT with some claims changed, signed with ``key`` (the provider's own unless said)."""
    claims = json.loads(jws.extract_compact(raw.encode()).payload)
    claims.update(changes)
    header = {"alg": alg, "kid": key.kid}
    return jwt.encode(header, claims, key)


def tamper_id_token(fc, fn) -> None:
    def hook(status, headers, body):
        data = json.loads(body)
        data["id_token"] = fn(data["id_token"])
        return status, headers, json.dumps(data).encode()

    fc["proxy"].hooks["/api/v2/token"] = hook


def tamper_userinfo(fc, fn) -> None:
    fc["proxy"].hooks["/api/v2/userinfo"] = lambda status, headers, body: (status, headers, fn(body.decode()).encode())


@pytest.fixture
def signing_key(fc_keys):
    return fc_keys.get_by_kid("fc-es256")


# --- state ------------------------------------------------------------------------------


def test_missing_state(fc, browser, service, linked_account):
    callback = browser.through_provider(browser.start(service))
    assert_refused(browser, browser.get(with_query(callback, state=None)), "bad_state")


def test_wrong_state(fc, browser, service, linked_account):
    callback = browser.through_provider(browser.start(service))
    assert_refused(browser, browser.get(with_query(callback, state=secrets.token_hex(32))), "bad_state")


def test_reused_state_and_code(fc, browser, service, linked_account, live_server):
    from .conftest import Browser

    callback = browser.through_provider(browser.start(service))
    browser.follow_to_service(browser.get(callback), service)  # the legitimate login
    assert User.objects.count() == 1
    # Replayed in another browser (stolen URL): no pending attempt there.
    thief = Browser(live_server.url)
    assert_refused(thief, thief.get(callback), "no_pending_state", sessions_before=1)
    thief.http.close()
    # Replayed in the same browser: the state was consumed by the first callback.
    response = browser.get(callback)
    assert response.status_code == 400 and 'data-reason="no_pending_state"' in response.text
    assert User.objects.count() == 1


def test_replayed_code_with_a_fresh_state(fc, browser, service, linked_account):
    first = browser.through_provider(browser.start(service))
    browser.follow_to_service(browser.get(first), service)
    User.objects.all().delete()
    # A new attempt gives a valid pending state; the old code is pasted in its place.
    second = browser.through_provider(browser.start(service))
    replay = with_query(second, code=parse_qs(urlsplit(first).query)["code"][0])
    assert_refused(browser, browser.get(replay), "token_invalid_grant")


def test_provider_error_is_refused(fc, browser, service):
    callback = browser.through_provider(browser.start(service))
    response = browser.get(with_query(callback, code=None, error="access_denied"))
    assert_refused(browser, response, "provider_access_denied")


# --- nonce, issuer, audience, expiry, signature ---------------------------------------


def test_wrong_nonce(fc, browser, service, linked_account):
    authorize = with_query(browser.start(service), nonce=secrets.token_hex(32))  # tampered in transit
    assert_refused(browser, browser.get(browser.through_provider(authorize)), "id_token_invalid_claim_nonce")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"iss": "https://evil.example/api/v2"}, "id_token_invalid_claim_iss"),
        ({"aud": "another-client"}, "id_token_invalid_claim_aud"),
        ({"exp": -120, "iat": -180}, "id_token_expired_token_exp"),
        ({"iat": -3600, "exp": 60}, "stale_id_token"),
        ({"acr": "eidas0"}, "acr_too_low"),
    ],
    ids=["iss", "aud", "expired", "stale-iat", "acr-unknown"],
)
def test_signed_id_token_with_a_bad_claim(fc, browser, service, linked_account, signing_key, changes, reason):
    """Times are offsets from the moment the token is forged (not from test collection)."""

    def forge(raw: str) -> str:
        now = int(time.time())
        values = {k: now + v if k in ("exp", "iat") else v for k, v in changes.items()}
        return resign(raw, signing_key, **values)

    tamper_id_token(fc, forge)
    assert_refused(browser, browser.login(service), reason)


def test_rs256_id_token_from_the_jwks_is_accepted(fc, browser, service, linked_account, fc_keys):
    """Control: FranceConnect may sign with its RSA key; an untouched RS256 re-signature passes."""
    rsa = fc_keys.get_by_kid("fc-rs256")
    tamper_id_token(fc, lambda raw: resign(raw, rsa, alg="RS256"))
    assert browser.follow_to_service(browser.login(service), service).startswith("ST-")


def test_hs256_id_token_is_refused_in_v2(fc, browser, service, linked_account):
    """Algorithm confusion: an HS256 token keyed with the client secret is refused in v2 (JWKS keys only)."""
    from joserfc.jwk import OctKey

    secret = OctKey.import_key("fs-v2-secret-0123456789abcdef0123456789abcdef")
    tamper_id_token(
        fc, lambda raw: jwt.encode({"alg": "HS256"}, json.loads(jws.extract_compact(raw.encode()).payload), secret)
    )
    assert_refused(browser, browser.login(service), "bad_alg")


def test_alg_none(fc, browser, service, linked_account):
    def unsigned(raw: str) -> str:
        payload = jws.extract_compact(raw.encode()).payload
        b64 = lambda data: base64.urlsafe_b64encode(data).rstrip(b"=").decode()  # noqa: E731
        return f"{b64(json.dumps({'alg': 'none'}).encode())}.{b64(payload)}."

    tamper_id_token(fc, unsigned)
    assert_refused(browser, browser.login(service), "bad_alg")


def test_signature_by_another_key_with_a_known_kid(fc, browser, service, linked_account):
    impostor = ECKey.generate_key("P-256", {"kid": "fc-es256"}, private=True)
    tamper_id_token(fc, lambda raw: resign(raw, impostor))
    assert_refused(browser, browser.login(service), "id_token_bad_signature")


def test_unknown_kid_is_refused_after_one_jwks_refetch(fc, browser, service, linked_account):
    rogue = ECKey.generate_key("P-256", {"kid": "rotated-away"}, private=True)
    tamper_id_token(fc, lambda raw: resign(raw, rogue))
    response = browser.login(service)
    assert_refused(browser, response, "unknown_kid")
    assert fc["proxy"].hits["/api/v2/jwks"] == 2  # cached fetch, then exactly one refetch


def test_new_kid_is_found_by_refetching_the_jwks(fc, browser, service, linked_account, settings):
    """Key rotation: a kid missing from the cached JWKS is found after one refetch."""
    from django.core.cache import cache

    from cas_educonnect.routes.franceconnect import client

    provider = client.get_provider()
    # The cached JWKS only holds a retired key, as before the provider's key rotation.
    retired = ECKey.generate_key("P-256", {"kid": "retired", "alg": "ES256", "use": "sig"}, private=False)
    cache.set(client._cache_key("jwks", provider.jwks_uri), {"keys": [retired.as_dict(private=False)]}, 3600)
    ticket = browser.follow_to_service(browser.login(service), service)
    assert ticket.startswith("ST-") and fc["proxy"].hits["/api/v2/jwks"] == 1


def test_acr_below_the_required_level(fc, browser, service, linked_account, settings):
    """The provider honestly answers eidas1 while eidas2 is required (no tampering needed)."""
    settings.CAS_EDUCONNECT_FRANCECONNECT_ACR_VALUES = "eidas2"
    assert_refused(browser, browser.login(service), "acr_too_low")


# --- userinfo ---------------------------------------------------------------------------


def test_userinfo_sub_differs_from_id_token_sub(fc, browser, service, linked_account, signing_key):
    tamper_userinfo(fc, lambda raw: resign(raw, signing_key, sub=fc["identities"]["pierre"]))
    assert_refused(browser, browser.login(service), "sub_mismatch")
    assert FranceConnectLink.objects.count() == 1


def test_unsigned_userinfo_is_refused_in_v2(fc, browser, service, linked_account):
    def as_json(status, headers, body):
        claims = json.loads(jws.extract_compact(body).payload)
        return status, {**headers, "content-type": "application/json"}, json.dumps(claims).encode()

    fc["proxy"].hooks["/api/v2/userinfo"] = as_json
    assert_refused(browser, browser.login(service), "userinfo_not_signed")


def test_v1_id_token_signed_with_another_secret(use_v1, browser, service, linked_account):
    from joserfc.jwk import OctKey

    forged = OctKey.import_key("not-the-client-secret-0123456789abcdef")
    tamper_id_token(
        use_v1, lambda raw: jwt.encode({"alg": "HS256"}, json.loads(jws.extract_compact(raw.encode()).payload), forged)
    )
    assert_refused(browser, browser.login(service), "id_token_bad_signature")

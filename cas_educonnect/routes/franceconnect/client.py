"""The OpenID Connect relying party for FranceConnect (v1 and v2 profiles).

Authlib speaks OAuth 2 (authorization URL, ``client_secret_post`` token request) and
joserfc checks every JWT (signature against the JWKS or the client secret, then ``iss``,
``aud``, ``exp``, ``iat``, ``nonce``, ``sub``): nothing here parses a signature by hand.
Every outcome is an :class:`~.base.Identity` or a :class:`~.base.FranceConnectError`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.core.cache import cache
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import Key, KeySet, OctKey

from cas_educonnect.conf import settings
from cas_educonnect.routes.franceconnect.base import Identity, Refused, Unavailable, acr_satisfies

logger = logging.getLogger(__name__)

V2_ALGORITHMS = ["ES256", "RS256"]
V1_ALGORITHMS = ["HS256"]


@dataclass(frozen=True)
class ProviderConfig:
    """Where FranceConnect is and how it signs, from settings (v1) or discovery (v2)."""

    profile: str
    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    end_session_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]


def is_configured() -> bool:
    """True when the settings name an issuer and a client."""
    return bool(settings.CAS_EDUCONNECT_FRANCECONNECT_ISSUER and settings.CAS_EDUCONNECT_FRANCECONNECT_CLIENT_ID)


def _timeout() -> float:
    return float(settings.CAS_EDUCONNECT_FRANCECONNECT_TIMEOUT)


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=_timeout(), headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise Unavailable("fetch_failed", f"{url}: {exc}")
    if not isinstance(data, dict):
        raise Unavailable("fetch_failed", f"{url}: not a JSON object")
    return data


def _cache_key(kind: str, url: str) -> str:
    return f"educonnect_fc:{kind}:{url}"


def get_provider() -> ProviderConfig:
    """The provider configuration; v2 reads (and caches) the discovery document."""
    if not is_configured():
        raise Unavailable("not_configured", "CAS_EDUCONNECT_FRANCECONNECT_ISSUER/CLIENT_ID are empty")
    issuer = settings.CAS_EDUCONNECT_FRANCECONNECT_ISSUER.rstrip("/")
    common = {
        "issuer": issuer,
        "client_id": settings.CAS_EDUCONNECT_FRANCECONNECT_CLIENT_ID,
        "client_secret": settings.CAS_EDUCONNECT_FRANCECONNECT_CLIENT_SECRET,
    }
    if settings.CAS_EDUCONNECT_FRANCECONNECT_PROFILE == "v1":
        endpoints = settings.CAS_EDUCONNECT_FRANCECONNECT_ENDPOINTS
        try:
            return ProviderConfig(
                profile="v1",
                authorization_endpoint=endpoints["authorization"],
                token_endpoint=endpoints["token"],
                userinfo_endpoint=endpoints["userinfo"],
                end_session_endpoint=endpoints.get("end_session", ""),
                jwks_uri="",
                algorithms=tuple(V1_ALGORITHMS),
                **common,
            )
        except KeyError as exc:
            raise Unavailable("not_configured", f"CAS_EDUCONNECT_FRANCECONNECT_ENDPOINTS lacks {exc}")
    url = f"{issuer}/.well-known/openid-configuration"
    metadata = cache.get(_cache_key("metadata", url))
    if metadata is None:
        metadata = _get_json(url)
        # The discovery document must describe the issuer we trust (OIDC Discovery §4.3).
        if metadata.get("issuer", "").rstrip("/") != issuer:
            raise Unavailable("issuer_mismatch", f"discovery issuer {metadata.get('issuer')!r} != {issuer!r}")
        cache.set(_cache_key("metadata", url), metadata, settings.CAS_EDUCONNECT_FRANCECONNECT_METADATA_CACHE)
    try:
        return ProviderConfig(
            profile="v2",
            authorization_endpoint=metadata["authorization_endpoint"],
            token_endpoint=metadata["token_endpoint"],
            userinfo_endpoint=metadata["userinfo_endpoint"],
            end_session_endpoint=metadata.get("end_session_endpoint", ""),
            jwks_uri=metadata["jwks_uri"],
            algorithms=tuple(V2_ALGORITHMS),
            **common,
        )
    except KeyError as exc:
        raise Unavailable("bad_metadata", f"discovery lacks {exc}")


def _session(provider: ProviderConfig, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        scope=settings.CAS_EDUCONNECT_FRANCECONNECT_SCOPE,
        redirect_uri=redirect_uri,
        token_endpoint_auth_method="client_secret_post",
    )


def authorization_url(provider: ProviderConfig, redirect_uri: str, state: str, nonce: str) -> str:
    """The FranceConnect authorize URL (code flow, scope, acr_values, state, nonce)."""
    url, _state = _session(provider, redirect_uri).create_authorization_url(
        provider.authorization_endpoint,
        state=state,
        nonce=nonce,
        acr_values=settings.CAS_EDUCONNECT_FRANCECONNECT_ACR_VALUES,
    )
    return url


# --- keys ------------------------------------------------------------------------------


def _jwks(provider: ProviderConfig, refresh: bool = False) -> KeySet:
    key = _cache_key("jwks", provider.jwks_uri)
    data = None if refresh else cache.get(key)
    if data is None:
        data = _get_json(provider.jwks_uri)
        cache.set(key, data, settings.CAS_EDUCONNECT_FRANCECONNECT_METADATA_CACHE)
    try:
        return KeySet.import_key_set(data)
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise Unavailable("bad_jwks", str(exc))


def _find_key(keys: KeySet, kid: str | None, alg: str) -> Key | None:
    candidates = [k for k in keys if k.kid == kid] if kid else list(keys)
    candidates = [k for k in candidates if k.get("alg") in (None, alg) and k.get("use") in (None, "sig")]
    if not candidates or (not kid and len(candidates) > 1):
        return None
    return candidates[0]


def _verification_key(provider: ProviderConfig, raw: str) -> Key:
    """The key a JWT says it is signed with, refetching the JWKS once on an unknown ``kid``."""
    try:
        header = jws.extract_compact(raw.encode()).headers()
    except (JoseError, ValueError) as exc:
        raise Refused("malformed_jwt", str(exc))
    alg = header.get("alg")
    if alg not in provider.algorithms:
        raise Refused("bad_alg", f"alg {alg!r} not in {provider.algorithms}")
    if provider.profile == "v1":
        return OctKey.import_key(provider.client_secret)
    kid = header.get("kid")
    key = _find_key(_jwks(provider), kid, alg)
    if key is None:
        logger.info("FranceConnect: unknown kid %r, refetching the JWKS", kid)
        key = _find_key(_jwks(provider, refresh=True), kid, alg)
    if key is None:
        raise Refused("unknown_kid", f"no key {kid!r} for {alg} after refetch")
    return key


def _decode(provider: ProviderConfig, raw: str, registry: jwt.JWTClaimsRegistry, what: str) -> dict[str, Any]:
    key = _verification_key(provider, raw)
    try:
        token = jwt.decode(raw, key, algorithms=list(provider.algorithms))
        registry.validate(token.claims)
    except JoseError as exc:
        claim = getattr(exc, "claim", "")
        raise Refused(f"{what}_{exc.error}" + (f"_{claim}" if claim else ""), str(exc))
    return token.claims


# --- code exchange ---------------------------------------------------------------------


def verify_id_token(provider: ProviderConfig, raw: str, nonce: str) -> dict[str, Any]:
    """The claims of a valid id_token for this client and this login attempt."""
    leeway = int(settings.CAS_EDUCONNECT_FRANCECONNECT_LEEWAY)
    registry = jwt.JWTClaimsRegistry(
        leeway=leeway,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
        sub={"essential": True},
    )
    claims = _decode(provider, raw, registry, "id_token")
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != provider.client_id:
        raise Refused("bad_azp", "several audiences and azp is not us")
    if claims["iat"] < time.time() - int(settings.CAS_EDUCONNECT_FRANCECONNECT_ID_TOKEN_MAX_AGE) - leeway:
        raise Refused("stale_id_token", f"iat {claims['iat']}")
    required = settings.CAS_EDUCONNECT_FRANCECONNECT_ACR_VALUES
    if not acr_satisfies(claims.get("acr"), required):
        raise Refused("acr_too_low", f"acr {claims.get('acr')!r} < {required!r}")
    return claims


def fetch_userinfo(provider: ProviderConfig, access_token: str) -> dict[str, Any]:
    """The userinfo claims: a signed JWT verified against the JWKS (v2) or JSON (v1)."""
    try:
        response = requests.get(
            provider.userinfo_endpoint, headers={"Authorization": f"Bearer {access_token}"}, timeout=_timeout()
        )
    except requests.RequestException as exc:
        raise Unavailable("userinfo_unreachable", str(exc))
    if response.status_code >= 500:
        raise Unavailable("userinfo_error", f"HTTP {response.status_code}")
    if response.status_code != 200:
        raise Refused("userinfo_refused", f"HTTP {response.status_code}")
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if provider.profile == "v2":
        if content_type != "application/jwt":
            raise Refused("userinfo_not_signed", content_type)
        registry = jwt.JWTClaimsRegistry(
            iss={"value": provider.issuer}, aud={"value": provider.client_id}, sub={"essential": True}
        )
        return _decode(provider, response.text.strip(), registry, "userinfo")
    try:
        data = response.json()
    except ValueError:
        raise Unavailable("userinfo_not_json", content_type)
    if not isinstance(data, dict) or not data.get("sub"):
        raise Refused("userinfo_without_sub", content_type)
    return data


def authenticate(provider: ProviderConfig, redirect_uri: str, code: str, nonce: str) -> Identity:
    """Exchange ``code`` and return the verified identity, or raise."""
    try:
        token = _session(provider, redirect_uri).fetch_token(provider.token_endpoint, code=code, timeout=_timeout())
    except OAuthError as exc:
        # invalid_grant is what a replayed, expired or stolen code gets.
        raise Refused(f"token_{exc.error}", str(exc.description or ""))
    except (requests.RequestException, ValueError) as exc:
        raise Unavailable("token_unreachable", str(exc))
    raw_id_token = token.get("id_token")
    access_token = token.get("access_token")
    if not raw_id_token or not access_token:
        raise Refused("token_incomplete", "no id_token or access_token")
    claims = verify_id_token(provider, raw_id_token, nonce)
    userinfo = fetch_userinfo(provider, access_token)
    if userinfo.get("sub") != claims["sub"]:
        raise Refused("sub_mismatch", "userinfo sub differs from id_token sub")
    return Identity(sub=claims["sub"], claims=userinfo, acr=claims["acr"], id_token=raw_id_token)

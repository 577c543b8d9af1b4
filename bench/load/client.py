"""The load client: threads, each a CAS user with a ``requests.Session`` against 127.0.0.1.

A user logs in once by password, then loops: SSO ticket issuance (``GET /cas/login?service=``,
no redirect followed) and ``GET /cas/p3/serviceValidate`` of that ticket, alternating two
services; with probability ``logout_share`` it logs out and logs in again (the login POST
issues a ticket too, which is then validated). The loop's two GETs are sent with
``http.client`` and the session's cookies: through ``requests`` they cost the client about
twice the CPU, enough to keep its core busy before the no-op ceiling's workers. An *event*
is a ticket issued or validated; its latency is the one HTTP request that produced it.
Loops are bounded by a deadline and by ``max_events`` per user.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode, urlparse

import requests

HIDDEN = re.compile(r"<input[^>]*>", re.I)
ATTR = re.compile(r'(name|value|type)="([^"]*)"')


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    login_latencies: list[float] = field(default_factory=list)  # the password POSTs, also in latencies
    errors: list[str] = field(default_factory=list)
    logins: int = 0
    logouts: int = 0


@dataclass
class Target:
    name: str
    base: str  # http://127.0.0.1:PORT
    services: list[str]
    users: list[str]
    password: str
    login_query: dict[str, str] = field(default_factory=dict)  # e.g. the portal route preselection


class Failure(Exception):
    pass


def hidden_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in HIDDEN.findall(html):
        attrs = dict(ATTR.findall(tag))
        if attrs.get("type") == "hidden" and "name" in attrs:
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


class User:
    def __init__(self, target: Target, username: str, result: Result, seed: int) -> None:
        self.target, self.username, self.result = target, username, result
        self.http = requests.Session()
        address = urlparse(target.base)
        self.host, self.port = address.hostname, address.port
        self.random = random.Random(seed)
        # Latencies of the current pair, kept only if it succeeds; True marks a password login.
        self.pending: list[tuple[float, bool]] = []

    def timed(self, method: str, path: str, login: bool = False, **kwargs) -> requests.Response:
        started = time.perf_counter()
        response = self.http.request(method, self.target.base + path, allow_redirects=False, timeout=30, **kwargs)
        self.pending.append((time.perf_counter() - started, login))
        return response

    def timed_get(self, path: str, params: dict[str, str]) -> tuple[int, str, str]:
        """``(status, Location, body)`` of a GET sent with ``http.client``, the session's cookies kept."""
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.http.cookies)
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request("GET", f"{path}?{urlencode(params)}", headers={"Cookie": cookies})
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        self.pending.append((time.perf_counter() - started, False))
        for header in response.headers.get_all("Set-Cookie") or ():
            for morsel in SimpleCookie(header).values():
                self.keep_cookie(morsel.key, morsel.value)
        return response.status, response.headers.get("Location", ""), body

    def keep_cookie(self, name: str, value: str) -> None:
        """Replace the jar's cookie ``name`` (as ``requests`` would on a response), never add a second one."""
        jar = self.http.cookies
        known = [cookie for cookie in jar if cookie.name == name]
        for cookie in known:
            jar.clear(cookie.domain, cookie.path, cookie.name)
        domain = known[0].domain if known else self.host
        jar.set(name, value, domain=domain, path="/")

    def keep_pending(self) -> None:
        self.result.latencies.extend(latency for latency, _ in self.pending)
        self.result.login_latencies.extend(latency for latency, login in self.pending if login)

    def ticket_from(self, status: int, location: str, body: str, service: str) -> str:
        if status != 302 or not location.startswith(service):
            raise Failure(f"no ticket: {status} {location[:80]} {body[:200]!r}")
        return parse_qs(urlparse(location).query)["ticket"][0]

    def log_in(self, service: str) -> str:
        page = self.http.get(
            self.target.base + "/cas/login", params={"service": service, **self.target.login_query}, timeout=30
        )
        fields = hidden_fields(page.text)
        if "lt" not in fields:
            raise Failure(f"no login form: {page.status_code} {page.text[:200]!r}")
        fields.update(username=self.username, password=self.target.password, service=service)
        response = self.timed(
            "POST", "/cas/login", login=True, data=fields, headers={"Referer": self.target.base + "/cas/login"}
        )
        self.result.logins += 1
        location = response.headers.get("Location", "")
        return self.ticket_from(response.status_code, location, response.text, service)

    def issue(self, service: str) -> str:
        return self.ticket_from(*self.timed_get("/cas/login", {"service": service}), service)

    def validate(self, service: str, ticket: str) -> None:
        status, _, body = self.timed_get("/cas/p3/serviceValidate", {"ticket": ticket, "service": service})
        if status != 200 or "<cas:authenticationSuccess>" not in body:
            raise Failure(f"validation failed: {status} {body[:200]!r}")

    def log_out(self) -> None:
        response = self.http.get(self.target.base + "/cas/logout", timeout=30, allow_redirects=False)
        if response.status_code not in (200, 302):
            raise Failure(f"logout: {response.status_code}")
        self.result.logouts += 1

    def loop(self, start: threading.Barrier, deadline_seconds: float, max_events: int, logout_share: float) -> None:
        services = self.target.services
        try:
            self.validate(services[0], self.log_in(services[0]))
        except Exception as exc:  # noqa: BLE001 (an error of the server under test, counted)
            self.result.errors.append(f"first login: {exc}")
        self.pending.clear()
        self.result.logins = 0
        start.wait()
        deadline = time.monotonic() + deadline_seconds
        events, i = 0, 0
        while time.monotonic() < deadline and events < max_events:
            service = services[i % len(services)]
            i += 1
            try:
                if self.random.random() < logout_share:
                    self.log_out()
                    ticket = self.log_in(service)
                else:
                    ticket = self.issue(service)
                self.validate(service, ticket)
                self.keep_pending()
            except Exception as exc:  # noqa: BLE001
                self.result.errors.append(str(exc)[:300])
            self.pending.clear()
            events += 2


def run(target: Target, users: int, seconds: float, max_events: int, logout_share: float, seed: int = 0) -> dict:
    """Drive ``users`` threads for ``seconds``; the figures of this round."""
    if urlparse(target.base).hostname != "127.0.0.1":
        raise ValueError("the load test only targets 127.0.0.1")
    results = [Result() for _ in range(users)]
    start = threading.Barrier(users + 1)
    people = [User(target, target.users[n], results[n], seed * 1000 + n) for n in range(users)]
    threads = [
        threading.Thread(target=p.loop, args=(start, seconds, max_events, logout_share), daemon=True) for p in people
    ]
    for thread in threads:
        thread.start()
    start.wait()  # the first logins happened before: they are not part of the round
    started = time.perf_counter()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.perf_counter() - started
    latencies = sorted(x for r in results for x in r.latencies)
    return {
        "events": len(latencies),
        "elapsed": elapsed,
        "latencies": latencies,
        "login_latencies": sorted(x for r in results for x in r.login_latencies),
        "errors": [e for r in results for e in r.errors],
        "logins": sum(r.logins for r in results),
        "logouts": sum(r.logouts for r in results),
    }

"""Login throttling over real HTTP: gunicorn (4 workers), PostgreSQL, Redis, parallel clients."""

from __future__ import annotations

from collections import Counter

from bench.load.fixtures import PASSWORD

from .conftest import Browser, answer, in_parallel

PARALLEL = 16
ALLOWED = 2  # tests.live.settings: 1 free failure per identifier and IP, the 2nd checked and takes a 30 s lock


def burst(base: str, username: str, ip: str, proxy_prefix=lambda n: "") -> Counter:
    browsers = [Browser(base, ip, proxy_prefix(n)) for n in range(PARALLEL)]
    forms = [browser.login_form() for browser in browsers]
    answers = in_parallel(lambda n: answer(browsers[n].post_login(forms[n], username, "wrong-pass")), range(PARALLEL))
    return Counter(answers)


def test_parallel_wrong_passwords_check_exactly_the_limit_then_the_right_one_is_refused(live_server_url):
    answers = burst(live_server_url, "parent0", "198.51.100.1")
    assert answers == {"wrong": ALLOWED, "locked": PARALLEL - ALLOWED}
    right = Browser(live_server_url, "198.51.100.1")
    assert answer(right.post_login(right.login_form(), "parent0", PASSWORD)) == "locked"
    # The owner, from his own address, is not locked out by the stranger's guesses.
    own = Browser(live_server_url, "192.0.2.50")
    assert answer(own.post_login(own.login_form(), "parent0", PASSWORD)) == "logged"


def test_spoofed_forwarded_for_does_not_escape_the_address_counter(live_server_url):
    """Each request writes its own left part; the trusted proxy's value (rightmost) is counted."""
    answers = burst(live_server_url, "parent1", "198.51.100.2", proxy_prefix=lambda n: f"203.0.113.{n}, ")
    assert answers == {"wrong": ALLOWED, "locked": PARALLEL - ALLOWED}

"""The client address of the per-IP limits: REMOTE_ADDR, or X-Forwarded-For from its right end."""

from __future__ import annotations

import pytest
from django.core import checks
from django.test import RequestFactory

from cas_educonnect.checks import check_client_ip_header
from cas_educonnect.core.clientip import client_ip

XFF = "HTTP_X_FORWARDED_FOR"


def request(xff: str | None = None, remote: str = "10.0.0.2"):
    extra = {XFF: xff} if xff is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_a_header_setting_the_peer_is_the_client(settings):
    settings.CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER = ""
    settings.CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES = 1
    assert client_ip(request("203.0.113.9")) == "10.0.0.2"
    assert client_ip(None) is None


def test_with_no_trusted_proxy_the_header_is_ignored(settings):
    settings.CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER = XFF
    settings.CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES = 0
    assert client_ip(request("203.0.113.9, 198.51.100.4")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        (1, "198.51.100.4", "198.51.100.4"),
        # The client wrote the left part; the one proxy appended the address it saw.
        (1, "203.0.113.9, 1.1.1.1, 198.51.100.4", "198.51.100.4"),
        (2, "203.0.113.9, 198.51.100.4, 10.0.0.7", "198.51.100.4"),
        # Fewer values than proxies: the header did not come through them all.
        (2, "198.51.100.4", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_is_the_nth_value_from_the_right(settings, proxies, xff, expected):
    settings.CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER = XFF
    settings.CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES = proxies
    assert client_ip(request(xff)) == expected


def test_deploy_check_warns_when_the_header_has_no_trusted_proxy(settings):
    settings.CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER = XFF
    settings.CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES = 0
    assert [m.id for m in check_client_ip_header()] == ["cas_educonnect.W030"]
    assert "cas_educonnect.W030" in {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert "cas_educonnect.W030" not in {m.id for m in checks.run_checks()}
    settings.CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES = 1
    assert check_client_ip_header() == []
    settings.CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER = ""
    settings.CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES = 0
    assert check_client_ip_header() == []

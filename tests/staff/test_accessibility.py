"""axe-core and the visual sweep on the staff admin pages, reached through their real login.

One browser, one login per persona: the password and the code an authenticator application
shows now (computed from the TOTP device's key), then every page of the persona's list.
Every failing page is named in one report.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.browser import axe_violations
from tests.visual.sweep import Watch, visual_problems

from .conftest import PASSWORD, make_staff, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_login(page, live_server, user) -> None:
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", totp_now(user.totp))
    with page.expect_navigation():
        page.click("input[type=submit]")
    if not page.url.rstrip("/").endswith("/admin"):
        pytest.fail(f"staff login failed: {page.url}")


def sweep_pages(page, live_server, axe_script, pages: dict[str, str]) -> dict[str, object]:
    """axe-core and the visual sweep on each page (name -> path): the problems by page name."""
    watch = Watch(page)
    failures: dict[str, object] = {}
    try:
        _sweep(page, live_server, axe_script, pages, watch, failures)
    finally:
        watch.close()
    return failures


def _sweep(page, live_server, axe_script, pages: dict[str, str], watch: Watch, failures: dict) -> None:
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        problems: dict[str, object] = {}
        if response is None or response.status != 200:
            problems["status"] = response.status if response else None
        violations = axe_violations(page, axe_script)
        if violations:
            problems["axe"] = violations
        problems.update(visual_problems(page, f"admin/{name}", watch))
        if problems:
            failures[name] = {"url": page.url, **problems}


def test_school_head_admin_pages(page, live_server, axe_script, school_a, head_a):
    agent = make_staff("agent.a", device=False)
    reported = school_a.rep_accounts[3]  # in use, with a report « not the legal representative »
    admin_login(page, live_server, head_a)
    school = school_a.establishment.pk
    pages = {
        "index": reverse("admin:index"),
        "accounts": reverse("admin:cas_educonnect_account_changelist"),
        "account": reverse("admin:cas_educonnect_account_change", args=[reported.pk]),
        "simulation": reverse("admin:educonnect_account_simulate", args=[reported.pk]),
        "delegations": reverse("admin:educonnect_staff_delegation_changelist"),
        "delegation": reverse("admin:educonnect_staff_delegation_add") + f"?delegate={agent.pk}",
        "staff roles": reverse("admin:educonnect_staff_staffrole_changelist"),
        "audit log": reverse("admin:educonnect_staff_auditlog_changelist"),
        "school settings": reverse("admin:educonnect_staff_schoolsettings_changelist"),
        "useful link": reverse("admin:educonnect_staff_usefullink_add"),
        "notification": reverse("admin:educonnect_notify"),
        "lists": reverse("admin:educonnect_lists") + f"?school={school}",
        "statistics": reverse("admin:educonnect_stats") + f"?school={school}",
        "services": reverse("admin:educonnect_services") + f"?school={school}",
        "password change": reverse("admin:password_change"),
    }
    failures = sweep_pages(page, live_server, axe_script, pages)
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)


def test_operator_admin_pages(page, live_server, axe_script, school_a):
    operator = make_staff("operator", superuser=True)
    admin_login(page, live_server, operator)
    pages = {
        "operator index": reverse("admin:index"),
        "operator accounts": reverse("admin:cas_educonnect_account_changelist"),
        "operator services": reverse("admin:cas_server_servicepattern_changelist"),
        "operator users": reverse("admin:auth_user_changelist"),
        "operator user": reverse("admin:auth_user_change", args=[operator.pk]),
        "operator totp devices": reverse("admin:educonnect_staff_authenticatordevice_changelist"),
    }
    failures = sweep_pages(page, live_server, axe_script, pages)
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)

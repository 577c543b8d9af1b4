"""The account page's « Assistance » block in chromium: visible, wide and clickable at 1280 and 375 px."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from cas_educonnect.models import AccountState
from cas_educonnect.routes.franceconnect.models import FranceConnectLink

from .conftest import PASSWORD, make_staff, totp_now

pytestmark = [pytest.mark.browser]

SHOTS = Path(__file__).resolve().parents[2] / ".cache" / "screenshots" / "admin14"


def browser_login(page, base: str, user) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", totp_now(user.totp))
    page.click("input[type=submit]")
    page.wait_for_selector("#educonnect-tools")


def assert_usable(page, selector: str, width: int) -> None:
    """The element has a real box inside the viewport and is the element a click at its centre reaches."""
    element = page.locator(selector)
    assert element.count() == 1, selector
    box = element.bounding_box()
    assert box is not None and box["width"] >= 40 and box["height"] >= 16, (selector, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box, width)
    hit = element.evaluate(
        "el => { el.scrollIntoView({block: 'center'}); const r = el.getBoundingClientRect();"
        " const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
        " return top === el || el.contains(top) ? '' : top.outerHTML.slice(0, 200); }"
    )
    assert not hit, f"{selector} is covered by {hit}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_support_block_is_wide_and_each_action_clickable(live_server, page, school_factory, width):
    school = school_factory("Collège Écran", "Ecran")
    head = make_staff("head.screen", school.establishment)
    account = school.rep_accounts[2]  # en cours d'activation: every action is offered
    assert account.state == AccountState.ACTIVATING
    account.email = "anne2@ecran.example.org"
    account.save()
    FranceConnectLink.objects.create(account=account, sub="fc-sub-screen")
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, live_server.url, head)
    page.goto(live_server.url + reverse("admin:cas_educonnect_account_change", args=[account.pk]))
    block = page.locator("#educonnect-support")
    box = block.bounding_box()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"account-support-{width}.png"), full_page=True)
    assert box is not None and box["width"] >= min(width - 60, 600) * 0.8, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    actions = [
        "#educonnect-support form[action$='/renotify/'] input[type=submit]",
        "#educonnect-support a[href$='/letter/']",
        "#educonnect-support form[action$='/activation/'] input[type=submit]",
        "#id_activation_email",
        "#educonnect-support form[action$='/new/'] input[type=submit]",
        "#educonnect-support form[action$='/franceconnect/'] input[type=submit]",
    ]
    for selector in actions:
        assert_usable(page, selector, width)
    # An active account offers the simulation instead of the activation email.
    active = school.rep_accounts[3]
    page.goto(live_server.url + reverse("admin:cas_educonnect_account_change", args=[active.pk]))
    page.screenshot(path=str(SHOTS / f"account-support-active-{width}.png"), full_page=True)
    for selector in [*actions[:2], "#educonnect-support a[href$='/simulate/']", actions[4]]:
        assert_usable(page, selector, width)
    page.click("#educonnect-support a[href$='/simulate/']")
    assert page.url.endswith("/simulate/")


@pytest.mark.django_db(transaction=True)
def test_a_wrong_code_gives_the_same_login_page_in_french(live_server, page, school_factory):
    """After a wrong code: one code field, no django-otp device list nor challenge button."""
    school = school_factory("Collège Code", "Code")
    head = make_staff("head.code", school.establishment)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "head.code")
    page.fill("#id_password", PASSWORD)
    good = totp_now(head.totp)
    page.fill("#id_otp_token", f"{(int(good) + 1) % 1000000:06d}")
    page.click("input[type=submit]")
    page.wait_for_selector(".errornote")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-login-wrong-code-1280.png"), full_page=True)
    text = page.inner_text("body")
    assert "Saisissez le nom d'utilisateur, le mot de passe et le code d'authentification" in text
    assert page.locator("select").count() == 0
    assert page.locator("input[name=otp_token]").count() == 1
    assert page.locator("input[type=submit]").count() == 1
    for word in ("OTP", "Appareil", "défi", "challenge", "device"):
        assert word not in text, word

"""The accessibility sweep of the public pages: axe-core, a keyboard check and the visual sweep on each page, named.

Each ``test_accessibility`` module drives the browser through real flows and calls
``sweep.check("aten/account")`` on every page it reaches; the name is the page's template
under ``cas_educonnect/`` (``#variant`` for a second state of the same template), and the
check verifies that template was really rendered since the previous check. A module lists,
per test function, the pages that test must check (``FLOWS``); ``sweep.finish()`` compares
and reports every failing page by name. Each check also runs the visual sweep
(``tests.visual.sweep``: boxes, labels, horizontal scroll, console errors and failed loads,
English text; one screenshot per width in ``.cache/visual/``). ``tests/test_accessibility_inventory.py`` checks that
the ``FLOWS`` of all modules cover every public page template.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from django.test.signals import template_rendered

from tests.browser import axe_violations
from tests.visual.sweep import Watch, visual_problems

TEMPLATES = Path(__file__).resolve().parents[1] / "cas_educonnect" / "templates" / "cas_educonnect"
PUBLIC_DIRS = ("portal", "host", "legacy", "aten", "sms", "franceconnect", "attributes")
# Public templates that are not pages of their own, and why.
NOT_PAGES = {
    "portal/layout": "layout of the portal pages",
    "host/form": "form body included by host/login and host/warn",
    "sms/portal_button": "snippet of portal/educonnect, checked there",
    "franceconnect/button": "snippet of portal/educonnect, checked there (franceconnect sweep)",
    "sms/fallback_base": "base used only when cas_educonnect/base.html is missing, never in this package",
    "attributes/base": "base used only when cas_educonnect/base.html is missing, never in this package",
}
# End-user pages outside PUBLIC_DIRS.
EXTRA_PAGES = ("staff/portal_logged",)
MODULES = (
    "tests.portal.test_accessibility",
    "tests.aten.test_accessibility",
    "tests.sms.test_accessibility",
    "tests.franceconnect.test_accessibility",
)
MAX_TABS = 80


def public_pages() -> set[str]:
    """Every end-user page template, as ``dir/name`` (partials ``_*``, emails and NOT_PAGES left out)."""
    names = {
        f"{folder}/{path.stem}"
        for folder in PUBLIC_DIRS
        for path in (TEMPLATES / folder).glob("*.html")
        if not path.name.startswith("_")
    }
    return (names - set(NOT_PAGES)) | set(EXTRA_PAGES)


def template_of(name: str) -> str:
    return f"cas_educonnect/{name.split('#')[0]}.html"


class Sweep:
    """Checks pages as a flow reaches them; collects failures so one run names every bad page."""

    def __init__(self, page, axe_script: Path, expected: tuple[str, ...], known: tuple[str, ...] = ()) -> None:
        self.page = page
        self.axe_script = axe_script
        self.expected = expected
        self.checked: list[str] = []
        self.failures: dict[str, object] = {}
        self.rendered: list[str] = []
        self._lock = threading.Lock()
        self.watch = Watch(page)
        self.known = known

    def _on_render(self, sender, template, context, **kwargs) -> None:
        with self._lock:  # the live server renders in its own threads
            self.rendered.append(getattr(template, "name", None) or "")

    def check(self, name: str, form: str | None = None) -> None:
        """axe-core on the current page; with ``form``, Tab reaches its first field then its submit."""
        page = self.page
        page.wait_for_load_state("load")
        with self._lock:
            rendered, self.rendered = self.rendered, []
        assert template_of(name) in rendered, f"{name}: {page.url} rendered {rendered}"
        self.checked.append(name)
        problems: dict[str, object] = {}
        if form is not None:
            unreachable = self.keyboard_problems(form)
            if unreachable:
                problems["keyboard"] = unreachable
        violations = axe_violations(page, self.axe_script)
        if violations:
            problems["axe"] = violations
        problems.update(visual_problems(page, name, self.watch, self.known))
        if problems:
            self.failures[name] = {"url": page.url, **problems}

    def keyboard_problems(self, form: str) -> list[str]:
        """From the top of the page, Tab must reach the form's first field, then its submit button."""
        locator = self.page.locator(form).first
        fields = locator.locator("input:not([type=hidden]), select, textarea")
        submit = locator.locator("button[type=submit], input[type=submit], button:not([type])").first
        targets = ([("first field", fields.first)] if fields.count() else []) + [("submit button", submit)]
        problems = []
        for label, target in targets:
            for _ in range(MAX_TABS):
                if target.evaluate("el => el === document.activeElement"):
                    break
                self.page.keyboard.press("Tab")
            else:
                problems.append(f"{label} of {form} not reached with Tab")
                break
        return problems

    def submit(self, form: str, button: str = "") -> None:
        """Submit ``form`` from the keyboard: focus its (first or given) submit button, press Enter."""
        locator = self.page.locator(form).first
        target = locator.locator(button).first if button else locator.locator("button[type=submit]").first
        target.focus()
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def finish(self) -> None:
        assert sorted(self.checked) == sorted(self.expected), f"pages checked {self.checked}, expected {self.expected}"
        assert not self.failures, json.dumps(self.failures, indent=1, ensure_ascii=False)


@pytest.fixture
def sweep(request, page, axe_script):
    """A Sweep of the calling test, expecting the pages its module's ``FLOWS`` lists for it.

    A module's ``KNOWN_TEXT`` lists the data its pages show from outside the database.
    """
    expected = request.module.FLOWS[request.node.originalname]
    sweep = Sweep(page, axe_script, expected, getattr(request.module, "KNOWN_TEXT", ()))
    template_rendered.connect(sweep._on_render)
    yield sweep
    template_rendered.disconnect(sweep._on_render)
    sweep.watch.close()

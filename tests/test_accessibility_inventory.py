"""The accessibility sweep (tests/accessibility.py) covers every public page template.

A new page template must be added to a ``FLOWS`` entry of a ``test_accessibility`` module
(or to ``NOT_PAGES`` with the reason it is not a page of its own).
"""

from __future__ import annotations

import importlib
import inspect

from tests.accessibility import EXTRA_PAGES, MODULES, NOT_PAGES, TEMPLATES, public_pages


def swept_pages() -> dict[str, list[str]]:
    """Template name -> the tests whose flow checks it."""
    pages: dict[str, list[str]] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        for test, names in module.FLOWS.items():
            for page in names:
                pages.setdefault(page.split("#")[0], []).append(f"{name}::{test}")
    return pages


def test_every_flow_is_a_test_of_its_module():
    for name in MODULES:
        module = importlib.import_module(name)
        for test in module.FLOWS:
            assert inspect.isfunction(getattr(module, test, None)), f"{name}.FLOWS names {test}, not a test"


def test_every_public_page_template_is_swept():
    swept = swept_pages()
    missing = public_pages() - set(swept)
    assert not missing, f"public pages no accessibility flow checks: {sorted(missing)}"
    unknown = set(swept) - public_pages()
    assert not unknown, f"pages in FLOWS that are not public page templates: {sorted(unknown)}"


def test_the_exclusions_and_extras_exist():
    for name in (*NOT_PAGES, *EXTRA_PAGES):
        assert (TEMPLATES / f"{name}.html").exists(), name

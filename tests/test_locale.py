"""The French catalogue is complete: every entry translated, none fuzzy, placeholders and HTML tags kept.

Users see French only, so an untranslated msgid leaks English to parents and pupils, and a lost
placeholder crashes the `%` interpolation or silently drops a name.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

import cas_educonnect

PO_PATH = Path(cas_educonnect.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"

# %(name)s / %s / %d (python-format, blocktranslate) and {name} (python-brace-format).
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfir]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with PO_PATH.open("rb") as po:
        return read_po(po, locale="fr")


def _messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def _strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def _label(message: Message) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
    context = f"[{message.context}] " if message.context else ""
    return f"{context}{_ids(message)[0]!r} ({where})"


def test_catalogue_has_entries(catalog):
    """Guards the other tests against passing on an empty or unreadable file."""
    assert len(_messages(catalog)) > 100


def test_every_entry_is_translated(catalog):
    missing = [_label(m) for m in _messages(catalog) if not all(s.strip() for s in _strings(m))]
    assert not missing, f"{len(missing)} untranslated entries:\n" + "\n".join(missing)


def test_no_fuzzy_entry(catalog):
    fuzzy = [_label(m) for m in _messages(catalog) if m.fuzzy]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries:\n" + "\n".join(fuzzy)


def test_placeholders_are_kept(catalog):
    """Each translation (each plural form) holds every placeholder of the msgid and adds none."""
    wrong = []
    for message in _messages(catalog):
        expected = set()
        for msgid in _ids(message):
            expected |= set(PLACEHOLDER.findall(msgid))
        for msgstr in _strings(message):
            found = set(PLACEHOLDER.findall(msgstr))
            if msgstr and found != expected:
                wrong.append(f"{_label(message)}: expected {sorted(expected)}, got {sorted(found)} in {msgstr!r}")
    assert not wrong, f"{len(wrong)} entries with wrong placeholders:\n" + "\n".join(wrong)


def test_html_tags_are_kept(catalog):
    wrong = []
    for message in _messages(catalog):
        expected = Counter(TAG.findall(_ids(message)[-1]))
        for msgstr in _strings(message):
            if msgstr and Counter(TAG.findall(msgstr)) != expected:
                wrong.append(f"{_label(message)}: tags differ in {msgstr!r}")
    assert not wrong, f"{len(wrong)} entries with different HTML tags:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [("Hello %(name)s, {count} left: %d", {"%(name)s", "{count}", "%d"}), ("No placeholder.", set())],
)
def test_placeholder_pattern(msgid, expected):
    """The pattern the checks rely on really finds each placeholder style."""
    assert set(PLACEHOLDER.findall(msgid)) == expected

"""Documentation stays in step with the code: every setting is in docs/configuration.md."""

from __future__ import annotations

import re
from pathlib import Path

from cas_educonnect.conf import DEFAULTS

ROOT = Path(__file__).resolve().parents[1]


def _documented() -> set[str]:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `(CAS_EDUCONNECT_\w+)`", text, flags=re.M))


def test_every_setting_is_documented():
    missing = sorted(set(DEFAULTS) - _documented())
    assert not missing, f"add these settings to docs/configuration.md: {missing}"


def test_no_documented_setting_is_unknown():
    unknown = sorted(_documented() - set(DEFAULTS))
    assert not unknown, f"docs/configuration.md documents settings absent from conf.DEFAULTS: {unknown}"


def test_readme_lists_every_management_command():
    commands = {p.stem for p in (ROOT / "cas_educonnect" / "management" / "commands").glob("[!_]*.py")}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = sorted(c for c in commands if f"`{c}`" not in readme)
    assert not missing, f"add these management commands to the README list: {missing}"

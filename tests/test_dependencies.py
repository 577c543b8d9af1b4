"""Every third-party module ``cas_educonnect`` imports comes from a declared dependency."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Declared but never imported by name: used through settings or as another package's backend.
NOT_IMPORTED = {
    "argon2-cffi": "Django's Argon2 hasher (accounts.hashers.Argon2idPasswordHasher)",
    "bcrypt": "libpass' bcrypt backend (legacy {CRYPT} hashes)",
    "django-tasks-db": "the task queue backend named in TASKS (production)",
    "django-dsfr": 'the "dsfr" app in INSTALLED_APPS: the DSFR templates and static files our pages extend',
}


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normalize(re.match(r"[A-Za-z0-9._-]+", spec)[0]) for spec in project["dependencies"]}


def _imported() -> dict[str, set[str]]:
    """Top-level third-party modules imported anywhere in the package, with the files importing them."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "cas_educonnect").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in {"cas_educonnect", "__future__"}:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_imported_module_is_declared():
    distributions = importlib.metadata.packages_distributions()
    declared = _declared()
    undeclared = {
        module: sorted(files)
        for module, files in _imported().items()
        if not {_normalize(d) for d in distributions.get(module, [])} & declared
    }
    assert not undeclared, f"declare these in pyproject.toml [project] dependencies: {undeclared}"


def test_every_declared_dependency_is_used():
    distributions = importlib.metadata.packages_distributions()
    used = {_normalize(d) for module in _imported() for d in distributions.get(module, [])}
    unused = sorted(_declared() - used - set(NOT_IMPORTED))
    assert not unused, f"declared but never imported (remove, or say why in NOT_IMPORTED): {unused}"

"""The package's layers, read from its source: imports go downward only, in no circle.

routes -> login -> auth -> attributes -> directory -> accounts -> models -> core; host -> core;
staff and demo sit above the routes, the URLconf, app configs and commands on top. Within
``routes/`` each route is its own package; the one edge between two routes is FranceConnect's
first link sending its code through the SMS gateway. Imports inside functions are listed
below with why Django's app loading needs each one; any other must go to the top of its module.
"""

from __future__ import annotations

import ast
import pathlib
from collections import defaultdict

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "cas_educonnect"

#: Rank of each group: a module may import its own group and lower ranks only.
RANKS = {
    "core": 0,
    "models": 1,
    "host": 1,
    "accounts": 2,
    "directory": 3,
    "attributes": 4,
    "auth": 5,
    "login": 6,
    "routes.aten": 7,
    "routes.legacy": 7,
    "routes.sms": 7,
    "routes.franceconnect": 7,
    "staff": 8,
    "demo": 9,
    "top": 10,
}
#: Groups that may import a group of the same rank.
SIBLING_EDGES = {("routes.franceconnect", "routes.sms")}
#: ``host`` fixes django-cas-server: it builds on ``core`` alone.
HOST_MAY_IMPORT = {"host", "core"}
#: Root modules and the group they belong to.
ROOT_MODULES = {"conf": "core", "csp": "core", "moved": "core"}

#: Imports left inside functions, each needed by Django's app loading.
FUNCTION_LEVEL_IMPORTS = {
    # AppConfig.ready(): system checks and signal receivers, registered once the registry is ready.
    ("cas_educonnect.apps", "cas_educonnect.checks"),
    ("cas_educonnect.apps", "cas_educonnect.attributes.cache"),
    ("cas_educonnect.apps", "cas_educonnect.attributes.checks"),
    ("cas_educonnect.routes.franceconnect.apps", "cas_educonnect.routes.franceconnect.checks"),
    ("cas_educonnect.routes.legacy.apps", "cas_educonnect.routes.legacy.checks"),
    ("cas_educonnect.routes.sms.apps", "cas_educonnect.routes.sms.checks"),
    ("cas_educonnect.staff.apps", "cas_server.models"),
    ("cas_educonnect.staff.apps", "cas_educonnect.login.flow"),
    ("cas_educonnect.staff.apps", "cas_educonnect.routes.aten.signals"),
    ("cas_educonnect.staff.apps", "cas_educonnect.staff.access"),
    ("cas_educonnect.staff.apps", "cas_educonnect.staff.audit"),
    ("cas_educonnect.staff.apps", "cas_educonnect.staff.closure"),
    # host.patches is imported with the host's AppConfig, before any model: install() (from
    # ready()) imports the pattern memo, which needs the host's models.
    ("cas_educonnect.host.patches", "cas_educonnect.host.patterns"),
    # Models of an optional app, imported only once apps.is_installed() said it is there.
    ("cas_educonnect.management.commands.educonnect_purge", "cas_educonnect.staff.retention"),
    ("cas_educonnect.staff.admin.support", "cas_educonnect.routes.franceconnect.linking"),
}


def module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def group(module: str) -> str | None:
    """The layer group of a ``cas_educonnect`` module, None outside the package."""
    parts = module.split(".")
    if parts[0] != "cas_educonnect":
        return None
    if len(parts) == 1:
        return "core"
    if parts[1] == "routes":
        return "routes." + parts[2] if len(parts) > 2 else "routes.aten"
    if parts[1] in ROOT_MODULES:
        return ROOT_MODULES[parts[1]]
    if parts[1] in RANKS:
        return parts[1]
    return "top"  # urls, apps, checks, management, templatetags, migrations


def is_module(name: str) -> bool:
    relative = pathlib.Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").exists() or (PACKAGE / relative / "__init__.py").exists()


def sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield module_name(path), path, ast.parse(path.read_text(encoding="utf-8"))


def imports(module: str, path: pathlib.Path, tree: ast.Module):
    """``(imported module, top level?)`` for every import statement of ``tree``."""
    top_nodes = set()
    for node in tree.body:
        top_nodes.add(node)
        if isinstance(node, (ast.If, ast.Try)):
            top_nodes.update(ast.walk(node))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        top = node in top_nodes
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, top
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            submodules = [f"{base}.{a.name}" for a in node.names if is_module(f"{base}.{a.name}")]
            yield from ((name, top) for name in submodules)
            if len(submodules) < len(node.names):
                yield base, top


@pytest.fixture(scope="module")
def graph():
    edges, inner = defaultdict(set), set()
    for module, path, tree in sources():
        for target, top in imports(module, path, tree):
            if top:
                if target.startswith("cas_educonnect"):
                    edges[module].add(target)
            else:
                inner.add((module, target))
    return edges, inner


def test_imports_go_downward_only(graph):
    edges, _inner = graph
    upward = []
    for source, targets in edges.items():
        for target in targets:
            src, dst = group(source), group(target)
            if src == dst or dst is None:
                continue
            if src == "host" and dst not in HOST_MAY_IMPORT:
                upward.append(f"{source} -> {target} (host builds on core only)")
            elif RANKS[dst] > RANKS[src] or (RANKS[dst] == RANKS[src] and (src, dst) not in SIBLING_EDGES):
                upward.append(f"{source} ({src}) -> {target} ({dst})")
    assert not upward, "imports going up:\n" + "\n".join(sorted(upward))


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_between_groups(graph):
    edges, _inner = graph
    groups = defaultdict(set)
    for source, targets in edges.items():
        for target in targets:
            if group(source) != group(target) and group(target) is not None:
                groups[group(source)].add(group(target))
    assert _cycles(groups) == []


def test_no_import_circle_between_modules(graph):
    edges, _inner = graph
    assert _cycles(edges) == []


def test_imports_inside_functions_are_only_those_app_loading_needs(graph):
    _edges, inner = graph
    assert inner == FUNCTION_LEVEL_IMPORTS

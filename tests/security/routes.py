"""Every URL of the project's URLconf, with dummy values for its parameters.

Walks the resolver so that a view added later is covered by the tests that use it without
anyone listing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

DUMMIES = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000", "path": "x"}


@dataclass(frozen=True)
class Route:
    path: str
    name: str  # namespace:name when there is one
    view: object


def _concrete(pattern) -> str | None:
    """The pattern as a URL fragment with dummy parameters, or None when it cannot be written."""
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: DUMMIES.get(m.group(1) or "str", "x"), str(pattern._route))
    if isinstance(pattern, RegexPattern):
        text = pattern._regex.lstrip("^").rstrip("$").replace(r"\.", ".")
        # Only plain regexes; the admin's catch-alls and groups are written by hand.
        return text if not re.search(r"[()\[\]?*+|\\{}]", text) else None
    return None


def walk(resolver: URLResolver | None = None, prefix: str = "/", namespace: str = "") -> list[Route]:
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        fragment = _concrete(entry.pattern)
        if fragment is None:
            continue
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += walk(entry, prefix + fragment, ns)
        elif isinstance(entry, URLPattern):
            routes.append(Route(prefix + fragment, f"{namespace}{entry.name or ''}", entry.callback))
    return routes

"""The dotted paths that moved in 0.2, kept importable for one release with a ``DeprecationWarning``.

Settings name our classes by dotted path (``CAS_AUTH_CLASS``, ``AUTHENTICATION_BACKENDS``,
``PASSWORD_HASHERS``, ``INSTALLED_APPS``, ``CAS_USER_CREDENTIAL_FORM``,
``CAS_EDUCONNECT_LOGIN_STEPS``, ``CAS_EDUCONNECT_SMS_BACKEND``...), and so do tasks already
queued in the database. Rather than leave a shim file at every old place (which would put
imports pointing upward back into the lower layers), one import hook maps each old module
name, and everything below it, to the module that replaced it: the old name gives the very
same module object, so classes compare equal and app configs, hashers and backends work
unchanged. :data:`MOVED` is the whole list; it goes in 0.3.

``cas_educonnect.admin`` is special: Django's admin autodiscovery imports ``<app>.admin`` for
the ``cas_educonnect`` app on every start, so that name resolves to a placeholder that warns
and forwards only when something is taken from it (``from cas_educonnect.admin import site``).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
import warnings

REMOVED_IN = "0.3"

#: Old module name -> new one. A name also covers its submodules; the longest match wins.
MOVED: dict[str, str] = {
    "cas_educonnect.auth_backends": "cas_educonnect.auth",
    "cas_educonnect.auth_backends.accounts": "cas_educonnect.auth.backends",
    "cas_educonnect.auth_backends.cas": "cas_educonnect.auth.cas",
    "cas_educonnect.auth_backends.aten": "cas_educonnect.routes.aten",
    "cas_educonnect.auth_backends.aten.lifecycle": "cas_educonnect.accounts.activation",
    "cas_educonnect.auth_backends.aten.tokens": "cas_educonnect.accounts.tokens",
    "cas_educonnect.auth_backends.aten.throttle": "cas_educonnect.core.ratelimit",
    "cas_educonnect.host.login": "cas_educonnect.login.flow",
    "cas_educonnect.host.views": "cas_educonnect.login.views",
    "cas_educonnect.host.redirects": "cas_educonnect.core.redirects",
    "cas_educonnect.attributes.policy": "cas_educonnect.login.policy",
    "cas_educonnect.attributes.choice": "cas_educonnect.login.choice",
    "cas_educonnect.attributes.proxy": "cas_educonnect.login.proxy",
    "cas_educonnect.portal": "cas_educonnect.login.portal",
    "cas_educonnect.sms": "cas_educonnect.routes.sms",
    "cas_educonnect.sms.demo": "cas_educonnect.demo.sms",
    "cas_educonnect.legacy": "cas_educonnect.routes.legacy",
    "cas_educonnect.franceconnect": "cas_educonnect.routes.franceconnect",
    "cas_educonnect.directory.fastsql": "cas_educonnect.core.db",
    "cas_educonnect.admin": "cas_educonnect.staff.admin",
}

#: Old names that resolve to a forwarding placeholder instead of the module itself.
LAZY = {"cas_educonnect.admin"}


def new_name(name: str) -> str | None:
    """The module that replaced ``name``, or None if ``name`` did not move."""
    parts = name.split(".")
    for cut in range(len(parts), 1, -1):
        target = MOVED.get(".".join(parts[:cut]))
        if target is not None:
            return ".".join([target, *parts[cut:]])
    return None


def _warn(old: str, new: str) -> None:
    warnings.warn(
        f"{old} moved to {new}; the old path goes in cas-educonnect {REMOVED_IN}.", DeprecationWarning, stacklevel=3
    )


class _Forwarder(types.ModuleType):
    """Placeholder for a lazily aliased package: warns and imports the target on first use."""

    def __getattr__(self, attribute: str):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        target = MOVED[self.__name__]
        _warn(self.__name__, target)
        return getattr(importlib.import_module(target), attribute)


class MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves every name of :data:`MOVED` to its new module (see the module docstring)."""

    def find_spec(self, fullname: str, path=None, target=None):
        target = new_name(fullname) if fullname.startswith("cas_educonnect.") else None
        if target is None or (fullname not in LAZY and importlib.util.find_spec(target) is None):
            return None  # an old name whose new module does not exist either: a plain ImportError
        return importlib.machinery.ModuleSpec(fullname, self, is_package=fullname in LAZY)

    def create_module(self, spec):
        if spec.name in LAZY:
            return _Forwarder(spec.name)
        target = new_name(spec.name)
        _warn(spec.name, target)
        module = importlib.import_module(target)
        # The import system stamps the alias spec on the module it gets back: keep the real one.
        spec.loader_state = module.__spec__
        return module

    def exec_module(self, module) -> None:
        real = module.__spec__.loader_state
        if real is not None:
            module.__spec__ = real


def install() -> None:
    """Put the finder on ``sys.meta_path`` (once)."""
    if not any(isinstance(finder, MovedModuleFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, MovedModuleFinder())

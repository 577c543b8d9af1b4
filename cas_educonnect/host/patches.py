"""Every change we make to django-cas-server at run time, as data, and the one place applying it.

The host is fixed in place rather than forked or wrapped (see :mod:`.tickets` and
:mod:`.patterns` for why each function is replaced and not overridden in a view). Patching
process-wide is only safe against the code that was read, so each entry names the host
version it was checked against, and :func:`check_host_version` refuses any other series:
``CasServerConfig.ready()`` raises ``ImproperlyConfigured``, which stops ``django.setup()``
and so any WSGI/ASGI worker, ``manage.py`` command or test run. A system check would not do:
gunicorn and uWSGI never run checks, so an unsupported host would serve with its tickets
patched by code written for another version.

Moving to another host version: read the host's new code for each target below, adjust the
replacement if needed, then update :data:`HOST_SERIES`, each ``checked`` and each
``source_sha256`` (``tests/host/test_patches.py`` prints the new digests).

Two kinds of change:

* :data:`PATCHES`: host functions and methods replaced by ours, applied by :func:`install`
  (from ``ready()``), which keeps the host's originals in :data:`ORIGINALS`.
* :data:`SETTING_DEFAULTS` and :data:`HOST_MIGRATIONS`: values written into
  ``django.conf.settings`` where the project set none, by :func:`preempt_host_defaults`,
  when ``host/apps.py`` is imported, i.e. before ``cas_server.default_settings`` copies the
  host's own defaults there (docs/configuration.md lists them with the host's values).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

HOST_DISTRIBUTION = "django-cas-server"
#: The host release series the patches were checked against (``major.minor``).
HOST_SERIES = "3.1"


@dataclass(frozen=True)
class Patch:
    """One host attribute replaced by ours."""

    target: str  #: dotted name of the host's function or method
    replacement: str  #: dotted name of ours
    why: str
    checked: str  #: host version whose code was read
    source_sha256: str  #: digest of the host's original source in that version (see tests)
    wrap: str = ""  #: "classmethod" when the target is one


@dataclass(frozen=True)
class SettingDefault:
    """A host setting given our default when the project sets none."""

    name: str
    value: object
    why: str


PATCHES: tuple[Patch, ...] = (
    Patch(
        target="cas_server.utils._gen_ticket",
        replacement="cas_educonnect.host.tickets.gen_ticket",
        why="every ticket (LT, ST, PT, PGT, PGTIOU, SAML ids) was drawn from `random`, not `secrets`",
        checked="3.1.0",
        source_sha256="a74e76257109326e99f7ad1465f5963b7199d02f1526d4d1992a8ac1db24eb5d",
    ),
    Patch(
        target="cas_server.models.Ticket.get",
        replacement="cas_educonnect.host.tickets.get_ticket",
        why="two concurrent validations both redeemed one service ticket; claim it in one UPDATE",
        checked="3.1.0",
        source_sha256="28cb963b911d5236ee32867e02441e4c69cc51f90c46819102bff9873dd80756",
        wrap="classmethod",
    ),
    Patch(
        target="cas_server.models.User.get_ticket",
        replacement="cas_educonnect.host.tickets.user_get_ticket",
        why="each ticket was written twice and the whole user saved at every ticket",
        checked="3.1.0",
        source_sha256="66a212f4984f88e862421311e8492be12a1e88d95e47a3149b17cff034ca248d",
    ),
    Patch(
        target="cas_server.models.User.logout",
        replacement="cas_educonnect.host.tickets.user_logout",
        why="a logout saved every ticket of the SSO session one by one before deleting them all",
        checked="3.1.0",
        source_sha256="1bd17eaf3a7a19219b2dad9b3cb411900d6c4bc9d974f6d6a5a2d1c999727c2f",
    ),
    Patch(
        target="cas_server.models.ServicePattern.validate",
        replacement="cas_educonnect.host.patterns.validate",
        why="four queries per ticket for patterns changed a few times a year; kept in memory, "
        "invalidated by the signals connected by cas_educonnect.host.patterns.connect",
        checked="3.1.0",
        source_sha256="c41e27acc7057d8d36ff9e49873332e22a11d74b14cfdb085887e4f0455ba4cf",
        wrap="classmethod",
    ),
    Patch(
        target="cas_server.models.ServicePattern.check_user",
        replacement="cas_educonnect.host.guarded.check_user",
        why="a refusal by the pattern's filters, when the attributes came from a subject the process "
        "kept (attributes.shared), must be decided again on fresh data before the user sees it",
        checked="3.1.0",
        source_sha256="eea105aef5744a09825e3e8d437031f9a4603c72b355f29ed097793375540183",
    ),
)

SETTING_DEFAULTS: tuple[SettingDefault, ...] = (
    SettingDefault("CAS_NEW_VERSION_HTML_WARNING", False, "the host calls PyPI without timeout while rendering pages"),
    SettingDefault("CAS_NEW_VERSION_EMAIL_WARNING", False, "the same call from cas_clean_sessions"),
    SettingDefault("CAS_LOGIN_TEMPLATE", "cas_educonnect/host/login.html", "DSFR page, no CDN"),
    SettingDefault("CAS_LOGGED_TEMPLATE", "cas_educonnect/host/logged.html", "DSFR page"),
    SettingDefault("CAS_LOGOUT_TEMPLATE", "cas_educonnect/host/logout.html", "DSFR page"),
    SettingDefault("CAS_WARN_TEMPLATE", "cas_educonnect/host/warn.html", "DSFR page"),
    SettingDefault("CAS_SHOW_POWERED", False, "our footer replaces the host's"),
    SettingDefault(
        "CAS_USER_CREDENTIAL_FORM",
        "cas_educonnect.routes.aten.steps.ThrottledUserCredential",
        "the host's form with failed logins throttled (per identifier and per IP)",
    ),
)

#: Defaults we give the host's own settings (a project's explicit value always wins).
HOST_DEFAULTS: dict[str, object] = {default.name: default.value for default in SETTING_DEFAULTS}

#: ``MIGRATION_MODULES["cas_server"]``: the host's migrations plus the state-only step it never
#: shipped, so ``makemigrations --check`` is clean and nothing is written into site-packages.
HOST_MIGRATIONS = "cas_educonnect.host.cas_server_migrations"

#: The host's originals by target, kept for the tests and benchmarks that compare with them.
ORIGINALS: dict[str, object] = {}


def host_version() -> str:
    """The installed django-cas-server version (``ImproperlyConfigured`` if it has no metadata)."""
    try:
        return importlib.metadata.version(HOST_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise ImproperlyConfigured(
            f"{HOST_DISTRIBUTION} has no installed distribution metadata: its version cannot be checked "
            "against cas_educonnect/host/patches.py. Install it with pip."
        )


def check_host_version(version: str | None = None) -> None:
    """Raise ``ImproperlyConfigured`` unless ``version`` (default: installed) is in :data:`HOST_SERIES`."""
    version = host_version() if version is None else version
    if version.split(".")[:2] != HOST_SERIES.split("."):
        raise ImproperlyConfigured(
            f"cas-educonnect patches django-cas-server {HOST_SERIES}.x (see cas_educonnect/host/patches.py) "
            f"but django-cas-server {version} is installed: its code was not checked against our patches. "
            f"Install django-cas-server>={HOST_SERIES},<{_next_series()}, or a cas-educonnect release "
            f"supporting {version}."
        )


def _next_series() -> str:
    major, minor = HOST_SERIES.split(".")
    return f"{major}.{int(minor) + 1}"


def _owner(target: str) -> tuple[object, str]:
    """The module or class holding ``target``'s last component, and that component."""
    parts = target.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:-1]:
            owner = getattr(owner, name)
        return owner, parts[-1]
    raise ImportError(f"cannot resolve {target}")


def current(target: str) -> object:
    """What ``target`` is now (for a class attribute, the raw ``classmethod`` object)."""
    owner, attr = _owner(target)
    return vars(owner)[attr]


def _replacement(patch: Patch) -> object:
    function = import_string(patch.replacement)
    return classmethod(function) if patch.wrap == "classmethod" else function


def install() -> None:
    """Apply every :data:`PATCHES` entry, keeping the host's original once (idempotent)."""
    from cas_educonnect.host import patterns

    for patch in PATCHES:
        owner, attr = _owner(patch.target)
        ORIGINALS.setdefault(patch.target, vars(owner)[attr])
        setattr(owner, attr, _replacement(patch))
    patterns.connect()


@contextlib.contextmanager
def host_originals() -> Iterator[None]:
    """Within the block, the host's own functions are back (benchmarks against stock)."""
    ours = {patch.target: current(patch.target) for patch in PATCHES}
    try:
        for patch in PATCHES:
            owner, attr = _owner(patch.target)
            setattr(owner, attr, ORIGINALS[patch.target])
        yield
    finally:
        for patch in PATCHES:
            owner, attr = _owner(patch.target)
            setattr(owner, attr, ours[patch.target])


def original(target: str, owner: type | None = None) -> object:
    """The host's original ``target``, bound to ``owner`` when it is a classmethod."""
    function = ORIGINALS[target]
    return function.__get__(None, owner) if owner is not None else function


def preempt_host_defaults() -> list[str]:
    """Put :data:`HOST_DEFAULTS` into settings where the project set nothing; return the names set."""
    applied = []
    for name, value in HOST_DEFAULTS.items():
        if not hasattr(django_settings, name):
            setattr(django_settings, name, value)
            applied.append(name)
    if "cas_server" not in django_settings.MIGRATION_MODULES:
        django_settings.MIGRATION_MODULES = {**django_settings.MIGRATION_MODULES, "cas_server": HOST_MIGRATIONS}
        applied.append("MIGRATION_MODULES")
    return applied

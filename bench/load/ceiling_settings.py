"""The no-op ceiling: our settings, middleware, sessions and workers, views that do nothing.

Everything of :mod:`bench.load.settings` (installed apps, middleware, ``cached_db`` sessions on
Redis + PostgreSQL, Argon2id hasher, persistent connections) except the URLconf, which is
:mod:`bench.load.ceiling_urls`: what a CAS server costs on this stack before it does any CAS.
"""

from __future__ import annotations

from bench.load.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load.ceiling_urls"

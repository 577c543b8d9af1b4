"""The password hasher for accounts: Argon2id sized for a login peak, not for a lone login.

Django's Argon2 defaults (100 MiB, 2 passes, 8 lanes) cost about 250 ms of CPU per login on
a 2-core app server, and the 8 lanes take both cores at once: at 8 a.m., when a school's
pupils all log in, every login stalls the SSO tickets queued behind it. This hasher uses
the first configuration the OWASP Password Storage Cheat Sheet recommends for Argon2id
(19 MiB, 2 passes, 1 lane), about 8 times cheaper (figures in docs/deployment.md).

It keeps Django's algorithm name, so it *replaces* ``Argon2PasswordHasher`` in
``PASSWORD_HASHERS``: hashes made with other Argon2 parameters still verify, and are
re-hashed with these at the next successful login (``must_update``).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19 MiB, t=2, p=1 (OWASP's first recommended configuration)."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1

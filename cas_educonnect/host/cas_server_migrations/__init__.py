"""django-cas-server's migrations, completed (used through ``MIGRATION_MODULES["cas_server"]``).

django-cas-server 3.1's models have 7 changes its migrations do not record (FK
``related_name="%(class)s"`` and ``FederatedUser.last_update``'s default; none changes the
schema). Without a migration for them, ``makemigrations --check`` fails and a bare
``makemigrations`` writes one into site-packages, where it is lost at the next install.
This package re-exports the host's own migration and adds that missing, state-only step;
``cas_educonnect.host.apps`` points ``MIGRATION_MODULES["cas_server"]`` here unless the
project already set it. The step keeps the name Django generates for it, so databases where
it was once generated in site-packages stay consistent.
"""

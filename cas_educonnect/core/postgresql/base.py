"""``ENGINE = "cas_educonnect.core.postgresql"``: Django's PostgreSQL backend, with a cheaper health check.

:func:`~cas_educonnect.core.connections.check_connection` (the socket, then an empty query
only if the server said something) replaces Django's ``SELECT 1`` on a persistent
connection (``is_usable``) and psycopg_pool's empty query on a pooled one: with
``OPTIONS["pool"]``, a lent connection that fails goes back to the pool, which drops a
broken connection, and the next is asked for, as psycopg_pool's own check loop does.
"""

from __future__ import annotations

from django.db.backends.postgresql import base

from cas_educonnect.core.connections import check_connection


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        pool = self.pool
        if not pool:
            return super().get_new_connection(conn_params)
        for _attempt in range(pool.max_size):
            connection = super().get_new_connection(conn_params)
            try:
                check_connection(connection)
            except base.Database.Error:
                pool.putconn(connection)
            else:
                return connection
        return super().get_new_connection(conn_params)  # every lent one was broken: new ones now

    def is_usable(self):
        # Django's health check of a persistent connection (CONN_HEALTH_CHECKS without a pool).
        if self.connection is None:
            return False
        try:
            check_connection(self.connection)
        except base.Database.Error:
            return False
        return True

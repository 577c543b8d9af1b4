"""Django's PostgreSQL engine with :func:`cas_educonnect.core.connections.check_connection` as health check."""

"""A fresh PostgreSQL database for a benchmark, beside the one ``DATABASE_URL`` names."""

from __future__ import annotations


def fresh_database(base: str, suffix: str) -> str:
    """Drop and create ``<name>_<suffix>`` next to ``base``'s database; return its URL."""
    import psycopg

    head, _, name = base.rpartition("/")
    bench = f"{name}_{suffix}"
    with psycopg.connect(f"{head}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{bench}"')
    return f"{head}/{bench}"

"""The in-process benchmark runs and prints its figures (its query counts are asserted here too)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_sso_benchmark_prints_one_figure_per_line():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "bench/sso.py", "12"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    for name in ("stock_pairs_per_s", "educonnect_pairs_per_s", "speedup", "cpu_speedup", "stock_cpu_ms_per_pair"):
        assert float(figures[name]) > 0, name
    # The host's own path (stock) and ours, on one warm issuance and one validation. Issuance
    # reads the school closures (staff.closure) from a per-process memo: no query when warm.
    # SQLite: session, account and vector, ticket INSERT, the conditional touch of the SSO user.
    assert int(figures["stock_issuance_queries"]) > int(figures["educonnect_issuance_queries"]) == 4
    assert int(figures["stock_validation_queries"]) > int(figures["educonnect_validation_queries"]) == 2


def test_counting_benchmark_prints_each_mode():
    """Counting adds no SQL query to issuance with Redis, one upsert (in a savepoint) without it."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "bench/counting.py", "12"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    for mode in ("off", "old", "database", "redis_down"):
        assert float(figures[f"issuance_ms_{mode}"]) > 0, mode
        assert float(figures[f"counting_us_{mode}"]) > 0, mode
    off = int(figures["issuance_queries_off"])
    assert int(figures["issuance_queries_old"]) == off + 1
    assert int(figures["issuance_queries_database"]) == int(figures["issuance_queries_redis_down"]) == off + 3
    if "redis_unavailable" not in figures:
        assert int(figures["issuance_queries_redis"]) == off

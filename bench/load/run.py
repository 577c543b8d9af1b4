#!/usr/bin/env python
"""Load test over real HTTP: stock django-cas-server 3.1 and ours, side by side in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME python bench/load/run.py [--users 8 16]
        [--seconds 15] [--rounds 2] [--soak SECONDS]

A database ``NAME_load`` is recreated and migrated; two gunicorn servers (4 sync workers each)
serve the example project: *stock* (:mod:`bench.load.stock_settings`: the host's app, views
and ``DjangoAuthUser``) and *ours* (:mod:`bench.load.settings`: our URLconf and
``EduconnectAuthUser``, a representative with 4 children in 2 schools), both on that
PostgreSQL with Redis as cache. For each user count, rounds of stock and ours alternate (same
client, same duration), so load from elsewhere on the machine hits both alike. ``--soak``
instead drives ours alone for SECONDS at the first user count. Prints one ``name value`` line
per figure: events/s (a ticket issued or validated), p50/p95/p99 latency in ms, the p99 of
the SSO events alone and the p50/p99 of the password logins alone, errors, logins,
and the RSS of the gunicorn workers (sum, MiB) at the start and end of each server's load.
"""

from __future__ import annotations

import argparse
import bisect
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]

from bench.databases import fresh_database  # noqa: E402
from bench.load import client  # noqa: E402
from bench.load.fixtures import OUR_SERVICES, PASSWORD, STOCK_SERVICES  # noqa: E402

WORKERS = 4
MAX_USERS = 16


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str, settings: str) -> dict[str, str]:
    path = os.pathsep.join([str(ROOT), str(ROOT / "example_project")])
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": settings,
        "PYTHONPATH": path,
        "DEBUG": "0",
        "BENCH_CACHE_PREFIX": f"educonnect-load-{os.getpid()}",
    }


def prepare(database_url: str, users: int) -> None:
    env = environment(database_url, "bench.load.settings")
    manage = [sys.executable, str(ROOT / "example_project" / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-m", "bench.load.fixtures", str(users)], env=env, check=True, cwd=ROOT)


class Server:
    def __init__(self, name: str, settings: str, database_url: str) -> None:
        self.name, self.port = name, free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning"]
            + ["example_project.wsgi:application"],
            env=environment(database_url, settings),
            cwd=ROOT,
            start_new_session=True,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self) -> None:
        import requests

        for _ in range(300):
            try:
                answered = requests.get(self.base + "/cas/login", timeout=30).status_code == 200
                if answered and len(self.workers()) == WORKERS:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                sys.exit(f"{self.name}: gunicorn exited with {self.process.returncode}")
            time.sleep(0.2)
        sys.exit(f"{self.name}: gunicorn did not answer")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def rss_mib(self) -> float:
        total = 0
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total / 1024

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(30)


def percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")


def report(prefix: str, rounds: list[dict], rss: tuple[float, float]) -> float:
    latencies = sorted(x for r in rounds for x in r["latencies"])
    rates = [r["events"] / r["elapsed"] for r in rounds]
    errors = [e for r in rounds for e in r["errors"]]
    rate = sum(r["events"] for r in rounds) / sum(r["elapsed"] for r in rounds)
    print(f"{prefix}_events_per_s {rate:.1f}")
    if len(rates) > 1:
        print(f"{prefix}_events_per_s_round_min {min(rates):.1f}")
        print(f"{prefix}_events_per_s_round_median {statistics.median(rates):.1f}")
    print(f"{prefix}_events {len(latencies)}")
    for q in (0.5, 0.95, 0.99):
        print(f"{prefix}_p{int(q * 100)}_ms {percentile(latencies, q):.1f}")
    # The same events without the password logins (Argon2 by design), then the logins alone.
    logins = sorted(x for r in rounds for x in r["login_latencies"])
    sso = list(latencies)
    for x in logins:
        del sso[bisect.bisect_left(sso, x)]
    print(f"{prefix}_sso_p99_ms {percentile(sso, 0.99):.1f}")
    print(f"{prefix}_login_p50_ms {percentile(logins, 0.5):.1f}")
    print(f"{prefix}_login_p99_ms {percentile(logins, 0.99):.1f}")
    print(f"{prefix}_errors {len(errors)}")
    print(f"{prefix}_logins {sum(r['logins'] for r in rounds)}")
    print(f"{prefix}_rss_start_mib {rss[0]:.1f}")
    print(f"{prefix}_rss_end_mib {rss[1]:.1f}")
    print(f"{prefix}_rss_growth_pct {100 * (rss[1] - rss[0]) / rss[0]:.1f}")
    for error in sorted(set(errors))[:5]:
        print(f"# {prefix} error: {error}", file=sys.stderr)
    sys.stdout.flush()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, nargs="+", default=[8, 16])
    parser.add_argument("--seconds", type=float, default=15.0, help="per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--logout-share", type=float, default=0.02)
    parser.add_argument("--max-events", type=int, default=200_000, help="per user and round")
    parser.add_argument("--soak", type=float, default=0, help="seconds: ours alone, first user count")
    args = parser.parse_args()
    if max(args.users) > MAX_USERS:
        parser.error(f"at most {MAX_USERS} users (the fixtures)")
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL=postgres://... needed (the load test runs on PostgreSQL)")
    database_url = fresh_database(base, "load")
    prepare(database_url, MAX_USERS)
    ours = client.Target("ours", "", OUR_SERVICES, [f"parent{n}" for n in range(MAX_USERS)], PASSWORD)
    ours.login_query = {"idpId": "educonnect"}
    stock = client.Target("stock", "", STOCK_SERVICES, [f"stock{n}" for n in range(MAX_USERS)], PASSWORD)
    servers = {"ours": Server("ours", "bench.load.settings", database_url)}
    if not args.soak:
        servers["stock"] = Server("stock", "bench.load.stock_settings", database_url)
    try:
        for server in servers.values():
            server.wait()
        ours.base = servers["ours"].base
        print(f"workers {WORKERS}")
        print("database postgresql")
        if args.soak:
            users = args.users[0]
            client.run(ours, users, 5, args.max_events, args.logout_share)  # warm-up
            start = servers["ours"].rss_mib()
            result = client.run(ours, users, args.soak, 10**9, args.logout_share, seed=1)
            print(f"soak_seconds {args.soak:.0f}")
            report(f"soak_ours_{users}u", [result], (start, servers["ours"].rss_mib()))
            return
        stock.base = servers["stock"].base
        targets = {"stock": stock, "ours": ours}
        for users in args.users:
            rounds: dict[str, list[dict]] = {"stock": [], "ours": []}
            rss: dict[str, list[float]] = {}
            for name, target in targets.items():
                client.run(target, users, 3, args.max_events, args.logout_share)  # warm-up
                rss[name] = [servers[name].rss_mib()]
            for n in range(args.rounds):
                for name, target in targets.items():
                    rounds[name].append(client.run(target, users, args.seconds, args.max_events, args.logout_share, n))
            rates = {}
            for name in targets:
                rss[name].append(servers[name].rss_mib())
                rates[name] = report(f"{name}_{users}u", rounds[name], tuple(rss[name]))
            print(f"speedup_{users}u {rates['ours'] / rates['stock']:.2f}")
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()

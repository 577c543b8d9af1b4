#!/usr/bin/env python
"""Load test over real HTTP: stock django-cas-server 3.1, ours and a no-op ceiling, side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME REDIS_URL=redis://127.0.0.1:6379/N \
        python bench/load/run.py [--users 8 16] [--seconds 15] [--rounds 2] [--pin split|none]
        [--only ours stock ceiling] [--before CHECKOUT] [--soak [MINUTES]]

A database ``NAME_load`` is recreated and migrated; three gunicorn servers (4 sync workers
each) serve the example project: *stock* (:mod:`bench.load.stock_settings`: the host's app,
views and ``DjangoAuthUser``), *ours* (:mod:`bench.load.settings`: our URLconf and
``EduconnectAuthUser``, a representative with 4 children in 2 schools) and *ceiling*
(:mod:`bench.load.ceiling_settings`: our settings, middleware and sessions, views answering
fixed text), all on that PostgreSQL with Redis as cache and ``cached_db`` sessions. For each
user count, rounds of the three alternate (same client, same duration, the order rotating),
so load from elsewhere on the machine hits them alike.

``--pin split`` (the default on 2 CPUs or more) pins the load client (this process) to the
last CPU and the gunicorn servers to the others with ``taskset``, so the client does not
compete with the workers it measures (PostgreSQL and Redis stay unpinned); ``none`` leaves
the scheduler free. The CPU time of each server's workers is read from their own accounting
(``/proc/<pid>/stat`` utime + stime) before and after each round.

``--before CHECKOUT`` adds a fourth server, *before*: ours as served from another checkout
(an earlier commit, e.g. ``git worktree add /tmp/before HEAD~1``) on the same database, to
measure a change before and after in the same run (the schema must be the same).

``--soak`` instead drives ours alone for MINUTES (default 10, at most 60) at the largest user
count, bounded by ``--max-events`` per user too.

Prints one ``name value`` line per figure: events/s (a ticket issued or validated), p50/p95/p99
latency in ms, the p99 of the SSO events alone and the p50/p99 of the password logins alone,
errors, logins, the workers' CPU ms per pair (issuance + validation) and the client's, the share
of its CPUs the client kept busy (near 1: the client set the pace, not the server), the RSS
of the gunicorn workers (sum, MiB) at the start and end of each server's load, ours / stock
and ours / ceiling, and the load average before and after.
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
SERVERS = {
    "stock": "bench.load.stock_settings",
    "ours": "bench.load.settings",
    "ceiling": "bench.load.ceiling_settings",
}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str, settings: str, root: Path = ROOT) -> dict[str, str]:
    path = os.pathsep.join([str(root), str(root / "example_project")])
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


def cpu_split(mode: str) -> tuple[set[int], set[int]] | None:
    """(client CPUs, server CPUs) for ``--pin split``, None when not pinning."""
    cpus = sorted(os.sched_getaffinity(0))
    if mode == "none" or len(cpus) < 2:
        return None
    return {cpus[-1]}, set(cpus[:-1])


def cpu_list(cpus: set[int]) -> str:
    return ",".join(str(cpu) for cpu in sorted(cpus))


class Server:
    def __init__(self, name: str, settings: str, database_url: str, cpus: set[int] | None, root: Path = ROOT) -> None:
        self.name, self.port = name, free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        pin = ["taskset", "-c", cpu_list(cpus)] if cpus else []
        self.process = subprocess.Popen(
            [*pin, str(gunicorn), "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning"]
            + ["example_project.wsgi:application"],
            env=environment(database_url, settings, root),
            cwd=root,
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

    def cpu_seconds(self) -> dict[int, float]:
        """User + system CPU seconds of each worker so far, from the kernel's accounting."""
        seconds = {}
        for pid in self.workers():
            # Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            seconds[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        return seconds

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(30)


def timed_round(server: Server, target: client.Target, users: int, seconds: float, args, seed: int) -> dict:
    """One round of the client against ``server``, with its workers' and the client's CPU seconds."""
    before, client_before = server.cpu_seconds(), time.process_time()
    result = client.run(target, users, seconds, args.max_events, args.logout_share, seed)
    after = server.cpu_seconds()
    result["client_cpu"] = time.process_time() - client_before
    # A worker that gunicorn replaced during the round counts from its start.
    result["worker_cpu"] = sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())
    return result


def percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")


def report(prefix: str, rounds: list[dict], rss: tuple[float, float]) -> tuple[float, float]:
    """Print the figures of ``rounds``; return events/s and the workers' CPU ms per pair."""
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
    pairs = max(1, len(latencies) // 2)
    cpu = 1000 * sum(r["worker_cpu"] for r in rounds) / pairs
    print(f"{prefix}_worker_cpu_ms_per_pair {cpu:.2f}")
    print(f"{prefix}_client_cpu_ms_per_pair {1000 * sum(r['client_cpu'] for r in rounds) / pairs:.2f}")
    # The share of its CPUs the client used: near 1, the client, not the server, set the pace.
    client_cpus = len(os.sched_getaffinity(0))
    busy = sum(r["client_cpu"] for r in rounds) / sum(r["elapsed"] for r in rounds) / client_cpus
    print(f"{prefix}_client_busy {busy:.2f}")
    print(f"{prefix}_rss_start_mib {rss[0]:.1f}")
    print(f"{prefix}_rss_end_mib {rss[1]:.1f}")
    print(f"{prefix}_rss_growth_pct {100 * (rss[1] - rss[0]) / rss[0]:.1f}")
    for error in sorted(set(errors))[:5]:
        print(f"# {prefix} error: {error}", file=sys.stderr)
    sys.stdout.flush()
    return rate, cpu


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def soak(server: Server, target: client.Target, users: int, minutes: float, args) -> None:
    timed_round(server, target, users, 5, args, 0)  # warm-up
    start = server.rss_mib()
    result = timed_round(server, target, users, minutes * 60, args, 1)
    print(f"soak_minutes {minutes:g}")
    report(f"soak_ours_{users}u", [result], (start, server.rss_mib()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, nargs="+", default=[8, 16])
    parser.add_argument("--seconds", type=float, default=15.0, help="per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--logout-share", type=float, default=0.02)
    parser.add_argument("--max-events", type=int, default=200_000, help="per user and round")
    parser.add_argument("--pin", choices=["split", "none"], default="split")
    parser.add_argument("--only", nargs="+", choices=list(SERVERS), default=list(SERVERS))
    parser.add_argument("--before", type=Path, help="a checkout of an earlier commit: its ours, as 'before'")
    parser.add_argument("--soak", type=float, nargs="?", const=10.0, default=0, help="minutes: ours alone")
    args = parser.parse_args()
    if max(args.users) > MAX_USERS:
        parser.error(f"at most {MAX_USERS} users (the fixtures)")
    if not 0 <= args.soak <= 60:
        parser.error("a soak lasts at most 60 minutes")
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL=postgres://... needed (the load test runs on PostgreSQL)")
    database_url = fresh_database(base, "load")
    prepare(database_url, MAX_USERS)
    users_of = {"stock": "stock", "ours": "parent", "ceiling": "parent", "before": "parent"}
    services = {"stock": STOCK_SERVICES, "ours": OUR_SERVICES, "ceiling": OUR_SERVICES, "before": OUR_SERVICES}
    names = ["ours"] if args.soak else [name for name in SERVERS if name in args.only]
    if args.before and not args.soak:
        names.append("before")
    targets = {}
    for name in names:
        people = [f"{users_of[name]}{n}" for n in range(MAX_USERS)]
        targets[name] = client.Target(name, "", services[name], people, PASSWORD)
        if name != "stock":
            targets[name].login_query = {"idpId": "educonnect"}
    split = cpu_split(args.pin)
    servers = {}
    for name in names:
        root = args.before.resolve() if name == "before" else ROOT
        servers[name] = Server(name, SERVERS.get(name, SERVERS["ours"]), database_url, split and split[1], root)
    try:
        for name, server in servers.items():
            server.wait()
            targets[name].base = server.base
        if split:
            os.sched_setaffinity(0, split[0])
        print(f"workers {WORKERS}")
        print("database postgresql")
        print(f"cpus {len(os.sched_getaffinity(0)) if not split else len(split[0] | split[1])}")
        print(f"pin_client_cpus {cpu_list(split[0]) if split else 'any'}")
        print(f"pin_server_cpus {cpu_list(split[1]) if split else 'any'}")
        print(f"loadavg_start {load_average()}")
        if args.soak:
            soak(servers["ours"], targets["ours"], max(args.users), args.soak, args)
            print(f"loadavg_end {load_average()}")
            return
        for users in args.users:
            rounds: dict[str, list[dict]] = {name: [] for name in names}
            rss: dict[str, list[float]] = {}
            for name in names:
                client.run(targets[name], users, 3, args.max_events, args.logout_share)  # warm-up
                rss[name] = [servers[name].rss_mib()]
            for n in range(args.rounds):
                for name in names[n % len(names) :] + names[: n % len(names)]:
                    rounds[name].append(timed_round(servers[name], targets[name], users, args.seconds, args, n))
            rates, cpus = {}, {}
            for name in names:
                rss[name].append(servers[name].rss_mib())
                rates[name], cpus[name] = report(f"{name}_{users}u", rounds[name], tuple(rss[name]))
            # Throughput ratios, then the same in workers' CPU per pair (which load from
            # elsewhere on the machine moves much less).
            for label, a, b in (
                ("speedup", "ours", "stock"),
                ("ours_of_ceiling", "ours", "ceiling"),
                ("ours_of_before", "ours", "before"),
                ("stock_of_ceiling", "stock", "ceiling"),
            ):
                if a in rates and b in rates:
                    print(f"{label}_{users}u {rates[a] / rates[b]:.2f}")
                    print(f"{label}_cpu_{users}u {cpus[b] / cpus[a]:.2f}")
        print(f"loadavg_end {load_average()}")
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()

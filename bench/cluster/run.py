#!/usr/bin/env python
"""The two-node rig under load: throughput and what each outage costs, through HAProxy.

    python bench/cluster/run.py [--users 8] [--seconds 10] [--workers 2]

Starts its own PostgreSQL cluster and Redis (``bench/cluster/services.py``: never the
machine's shared ones), two gunicorn nodes of the example project and HAProxy
(``bench/cluster/rig.py``). The load client of ``bench/load`` logs users in and loops SSO
issue/validate through the balancer; each validated ticket is validated a second time (a
success would be a double redemption), and a user whose SSO session is gone logs in again
(a lost session). Prints one ``name value`` line per figure:

* ``events_per_s_1_node`` / ``_2_nodes``: tickets issued or validated per second;
* ``kill_node_*``: node A killed with SIGKILL mid-load (HAProxy sends the clients to B);
* ``redis_outage_*``: Redis killed for ``--outage`` seconds mid-load, then restarted empty;
* ``pg_restart_*``: PostgreSQL restarted (fast) mid-load, gunicorn left running;

with their errors, HTTP 500 answers, lost sessions and double redemptions.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]

from bench.cluster.rig import Rig  # noqa: E402
from bench.cluster.services import PrivatePostgres, PrivateRedis, unavailable  # noqa: E402
from bench.databases import fresh_database  # noqa: E402
from bench.load import client  # noqa: E402
from bench.load.fixtures import OUR_SERVICES, PASSWORD  # noqa: E402

MAX_USERS = 16
PHASES = ["throughput", "kill_node", "redis_outage", "pg_restart"]


class ClusterUser(client.User):
    """A load user that also replays each ticket, and logs in again when its session is lost."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.counts: Counter = Counter()
        self.failed = False  # a request failed since the last password login

    def timed(self, method, path, login=False, **kwargs):
        try:
            response = super().timed(method, path, login=login, **kwargs)
        except Exception:
            self.counts["connection_errors"] += 1
            self.failed = True
            raise
        if response.status_code >= 500:
            self.counts[f"http_{response.status_code}"] += 1
            self.failed = True
        return response

    def timed_get(self, path, params):
        try:
            status, location, body = super().timed_get(path, params)
        except Exception:
            self.counts["connection_errors"] += 1
            self.failed = True
            raise
        if status >= 500:
            self.counts[f"http_{status}"] += 1
            self.failed = True
        return status, location, body

    def log_in(self, service: str) -> str:
        ticket = super().log_in(service)
        self.failed = False
        return ticket

    def issue(self, service: str) -> str:
        status, location, body = self.timed_get("/cas/login", {"service": service})
        if status == 200 and 'name="lt"' in body:
            # Lost, unless the login or logout that made this session failed on its way.
            self.counts["logins_again_after_an_error" if self.failed else "lost_sessions"] += 1
            return self.log_in(service)
        return self.ticket_from(status, location, body, service)

    def validate(self, service: str, ticket: str) -> None:
        super().validate(service, ticket)
        again = self.http.get(
            self.target.base + "/cas/p3/serviceValidate", params={"ticket": ticket, "service": service}, timeout=30
        )
        if "<cas:authenticationSuccess>" in again.text:
            self.counts["double_redemptions"] += 1


def drive(target: client.Target, users: int, seconds: float, action=None) -> dict:
    """``users`` threads for ``seconds``; ``action(elapsed)`` runs in this thread meanwhile."""
    results = [client.Result() for _ in range(users)]
    start = threading.Barrier(users + 1)
    people = [ClusterUser(target, target.users[n], results[n], n) for n in range(users)]
    threads = [threading.Thread(target=p.loop, args=(start, seconds, 10**9, 0.02), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    if action:
        action(started)
    for thread in threads:
        thread.join(seconds + 90)
    elapsed = time.perf_counter() - started
    counts = sum((p.counts for p in people), Counter())
    return {
        "events_per_s": sum(len(r.latencies) for r in results) / elapsed,
        "errors": sum(len(r.errors) for r in results),
        "examples": sorted({e[:120] for r in results for e in r.errors})[:3],
        **counts,
    }


def report(prefix: str, figures: dict) -> None:
    print(f"{prefix}_events_per_s {figures['events_per_s']:.1f}")
    print(f"{prefix}_errors {figures['errors']}")
    names = ["http_500", "http_502", "http_503", "connection_errors", "lost_sessions", "logins_again_after_an_error"]
    for name in [*names, "double_redemptions"]:
        print(f"{prefix}_{name} {figures.get(name, 0)}")
    for example in figures["examples"]:
        print(f"# {prefix} error: {example}", file=sys.stderr)
    sys.stdout.flush()


def at(started: float, second: float) -> None:
    time.sleep(max(0.0, started + second - time.perf_counter()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0, help="per throughput round and before/after outages")
    parser.add_argument("--outage", type=float, default=20.0, help="seconds Redis stays down")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument(
        "--no-pool", dest="pool", action="store_false", help="CONN_MAX_AGE=300 instead of psycopg's pool"
    )
    parser.add_argument("--phases", nargs="+", default=PHASES, choices=PHASES)
    args = parser.parse_args()
    os.environ["CLUSTER_DB_POOL"] = "1" if args.pool else "0"
    reason = unavailable("redis", "postgres", "haproxy")
    if reason:
        sys.exit(reason)
    postgres, redis = PrivatePostgres().start(), PrivateRedis().start()
    rig = Rig(fresh_database(postgres.url("cluster"), "bench"), redis, workers=args.workers)
    try:
        rig.prepare(MAX_USERS).start()
        users = [f"parent{n}" for n in range(MAX_USERS)]
        target = client.Target("cluster", rig.base, OUR_SERVICES, users, PASSWORD, {"idpId": "educonnect"})
        single = client.Target("single", rig.single_base, OUR_SERVICES, users, PASSWORD, {"idpId": "educonnect"})
        print(f"nodes 2\nworkers_per_node {args.workers}\nusers {args.users}")
        print(f"database_pool {int(args.pool)}")
        drive(target, args.users, 3)  # warm-up
        if "throughput" in args.phases:
            report("one_node", drive(single, args.users, args.seconds))
            report("two_nodes", drive(target, args.users, args.seconds))
        if "kill_node" in args.phases:
            report("kill_node", drive(target, args.users, 2 * args.seconds, lambda t: (at(t, 3), rig.kill("a"))))
            rig.nodes["a"].start()
            rig.nodes["a"].wait()
            time.sleep(1)  # HAProxy's health check sees it back

        def redis_outage(started: float) -> None:
            at(started, 3)
            redis.kill()
            at(started, 3 + args.outage)
            redis.start()

        if "redis_outage" in args.phases:
            report("redis_outage", drive(target, args.users, args.outage + 6, redis_outage))
        if "pg_restart" in args.phases:
            report("pg_restart", drive(target, args.users, args.seconds, lambda t: (at(t, 3), postgres.restart())))
            print(f"pg_restart_workers {2 * args.workers}")
    finally:
        rig.stop()
        redis.stop()
        postgres.stop()


if __name__ == "__main__":
    main()

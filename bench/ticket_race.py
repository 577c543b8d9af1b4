"""Service tickets redeemed more than once under concurrent validation: host vs fixed.

Usage (PostgreSQL; SQLite serialises writers and shows nothing):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_race python bench/ticket_race.py [tickets] [threads]
Prints one figure per line: tickets redeemed more than once with the host's ``Ticket.get``
(the baseline, measured in the same run), then with ours.
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


def run(get, tickets: int, threads: int) -> int:
    import re

    from cas_server.models import ServicePattern, ServiceTicket
    from cas_server.models import User as CasUser

    service = "https://bench.example.test/"
    pattern, _ = ServicePattern.objects.get_or_create(name="bench", defaults={"pattern": "^" + re.escape(service)})
    user, _ = CasUser.objects.get_or_create(username="bench", session_key="bench")
    values = [
        ServiceTicket.objects.create(user=user, service=service, service_pattern=pattern).value for _ in range(tickets)
    ]
    barrier = threading.Barrier(threads)

    def validate(value: str) -> bool:
        barrier.wait()
        try:
            get(value, service=service)
            return True
        except ServiceTicket.DoesNotExist:
            return False

    def close(_: int) -> None:
        barrier.wait()
        connections.close_all()

    doubles = 0
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for value in values:
            doubles += sum(pool.map(validate, [value] * threads)) > 1
        list(pool.map(close, range(threads)))
    return doubles


def main() -> None:
    tickets = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    if connections["default"].vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    from cas_server.models import Ticket

    from cas_educonnect.host import patches

    old = setup_databases(verbosity=0, interactive=False)
    try:
        print(run(patches.original("cas_server.models.Ticket.get", Ticket), tickets, threads))
        print(run(Ticket.get, tickets, threads))
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()

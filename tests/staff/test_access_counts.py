"""Access counts (staff statistics): one per service ticket, written at once or added up per process."""

from __future__ import annotations

import pytest
from cas_server.models import ServicePattern, ServiceTicket, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cas_educonnect.core import memo
from cas_educonnect.staff import access
from cas_educonnect.staff.models import ServiceAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(settings):
    settings.CAS_EDUCONNECT_COUNT_ACCESSES = True
    patterns = [
        ServicePattern.objects.create(name=n, pattern=f"^https://{n}\\.example\\.test/", pos=i)
        for i, n in enumerate(("ent", "notes"))
    ]
    users = {name: User.objects.create(username=name, session_key=f"key-{name}") for name in ("Paul.Martin", "ines")}
    access._pending.clear()

    def make(username: str, service: int = 0) -> None:
        pattern = patterns[service]
        ServiceTicket.objects.create(
            user=users[username], service=f"https://{pattern.name}.example.test/", service_pattern=pattern
        )

    yield make
    access._pending.clear()


def counts() -> dict[tuple[str, str], int]:
    return {
        (a.username, a.service_pattern.name): a.count for a in ServiceAccess.objects.select_related("service_pattern")
    }


def test_each_ticket_is_counted_at_once_by_default(issue):
    issue("Paul.Martin")
    issue("Paul.Martin")
    issue("ines", 1)
    assert counts() == {("paul.martin", "ent"): 2, ("ines", "notes"): 1}


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    access._last_write[0] = now[0]
    return now


def test_counts_added_up_in_the_process_are_written_in_one_upsert(issue, settings, clock):
    settings.CAS_EDUCONNECT_COUNT_ACCESSES_FLUSH_SECONDS = 10
    issue("Paul.Martin")
    issue("Paul.Martin")
    issue("ines", 1)
    assert counts() == {}  # held in memory for 10 s
    clock[0] += 10
    with CaptureQueriesContext(connection) as captured:
        issue("ines", 1)
    writes = [q["sql"] for q in captured if "servicea" in q["sql"].lower()]
    assert len(writes) == 1, writes
    assert counts() == {("paul.martin", "ent"): 2, ("ines", "notes"): 2}
    # Held again, then written by flush() (at the process's exit) on top of the stored counts.
    issue("Paul.Martin")
    assert counts()[("paul.martin", "ent")] == 2
    access.flush()
    assert counts() == {("paul.martin", "ent"): 3, ("ines", "notes"): 2}
    access.flush()  # nothing held: nothing written
    assert counts() == {("paul.martin", "ent"): 3, ("ines", "notes"): 2}

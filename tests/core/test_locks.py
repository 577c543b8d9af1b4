"""Jobs that never overlap: a second run, in another process, is refused while the first holds the lock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cas_educonnect.core.locks import ALREADY_RUNNING_EXIT, AlreadyRunning
from cas_educonnect.models import Establishment
from cas_educonnect.staff import tasks
from cas_educonnect.staff.models import JobStatus, NotificationJob

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
HOLD = """
import sys, django
django.setup()
from cas_educonnect.core.locks import single_run
with single_run(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()
"""


def environment(database_url: str) -> dict[str, str]:
    path = os.pathsep.join([str(ROOT), str(ROOT / "example_project")])
    return {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": path}


class Holder:
    """Another process holding the lock ``name`` until ``release()``."""

    def __init__(self, name: str, database_url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLD, name],
            env=environment(database_url),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "held"

    def release(self) -> None:
        self.process.communicate("", timeout=60)
        assert self.process.returncode == 0


def database_url_of_this_test() -> str:
    """The URL of the test database this test runs on (the subprocesses share it)."""
    head = os.environ["DATABASE_URL"].rpartition("/")[0]
    return f"{head}/{connection.settings_dict['NAME']}"


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "example_project" / "manage.py"), *args]
    return subprocess.run(command, env=environment(database_url), cwd=ROOT, capture_output=True, text=True, timeout=120)


postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs DATABASE_URL=postgres://... (CI runs it): the advisory lock is PostgreSQL's"
)


@pytest.mark.postgres
@postgres_only
def test_a_second_purge_exits_while_the_first_runs_then_runs_once_it_ended(db):
    url = database_url_of_this_test()
    holder = Holder("educonnect_purge", url)
    try:
        second = manage(url, "educonnect_purge", "--dry-run")
        assert second.returncode == ALREADY_RUNNING_EXIT, second.stderr
        assert "educonnect_purge is already running" in second.stderr and not second.stdout
    finally:
        holder.release()
    assert manage(url, "educonnect_purge", "--dry-run").returncode == 0


@pytest.mark.postgres
@postgres_only
def test_the_aaf_import_and_a_schools_notification_are_refused_while_another_process_runs_them(db, tmp_path):
    holder = Holder("educonnect_import_aaf", database_url_of_this_test())
    try:
        with pytest.raises(CommandError, match="educonnect_import_aaf is already running") as refused:
            call_command("educonnect_import_aaf", str(tmp_path))
        assert refused.value.returncode == ALREADY_RUNNING_EXIT
    finally:
        holder.release()
    school = Establishment.objects.create(uai="0790031E", jointure="S1", name="Collège", degree="2D")
    job = NotificationJob.objects.create(establishment=school, audience="representatives", mode="paper")
    holder = Holder(f"notify_job:{school.pk}", database_url_of_this_test())
    try:
        with pytest.raises(AlreadyRunning):
            tasks.notify_job.call(job.pk, "https://portal.example/")
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED and "already running" in job.error
    finally:
        holder.release()
    assert tasks.notify_job.call(job.pk, "https://portal.example/") == 0
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_on_sqlite_a_file_lock_beside_the_database_excludes_another_process(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    holder = Holder("job", url)
    try:
        contender = subprocess.run(
            [sys.executable, "-c", HOLD, "job"],
            env=environment(url),
            cwd=ROOT,
            input="",
            capture_output=True,
            text=True,
        )
        assert contender.returncode != 0 and "job is already running" in contender.stderr
    finally:
        holder.release()
    assert (tmp_path / "db.sqlite3.job.lock").exists()

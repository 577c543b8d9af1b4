"""The example project under gunicorn (4 sync workers) on a random loopback port, for live tests.

``LiveServer.start()`` creates a fresh PostgreSQL database beside ``DATABASE_URL``'s, migrates
it once, writes the fixtures (``bench.load.fixtures``: representatives ``parent0..`` with a
known password) and starts gunicorn with :mod:`tests.live.settings`; ``stop()`` ends it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from bench.databases import fresh_database

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
REDIS = ("127.0.0.1", 6379)


def unavailable() -> str | None:
    """Why the live tests cannot run here, or None."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "needs DATABASE_URL=postgres://... (live tests run gunicorn on PostgreSQL + Redis)"
    if not Path(sys.executable).with_name("gunicorn").exists() and not shutil.which("gunicorn"):
        return "needs gunicorn"
    try:
        socket.create_connection(REDIS, timeout=0.5).close()
    except OSError:
        return "needs Redis on 127.0.0.1:6379"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """``redis_url`` (default ``LIVE_REDIS_URL``): a private Redis for the outage tests;
    ``suffix``: the database's, so two servers of one run never share theirs."""

    def __init__(self, users: int = 2, redis_url: str | None = None, suffix: str = "live") -> None:
        self.users, self.port = users, free_port()
        self.database_url = fresh_database(os.environ["DATABASE_URL"], suffix)
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "tests.live.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_project")]),
            "DEBUG": "0",
            "REDIS_URL": redis_url or os.environ.get("LIVE_REDIS_URL", "redis://127.0.0.1:6379/13"),
            "LIVE_CACHE_PREFIX": f"educonnect-live-{uuid.uuid4().hex[:8]}",
        }
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, str(ROOT / "example_project" / "manage.py"), *args], env=self.env, check=True)

    def manage_output(self, *args: str) -> str:
        """What a management command prints (e.g. ``shell -c`` making test data)."""
        command = [sys.executable, str(ROOT / "example_project" / "manage.py"), *args]
        return subprocess.run(command, env=self.env, check=True, capture_output=True, text=True).stdout

    def start(self) -> LiveServer:
        self.manage("migrate", "-v0")
        fixtures = [sys.executable, "-m", "bench.load.fixtures", str(self.users)]
        subprocess.run(fixtures, env=self.env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        self.process = subprocess.Popen(
            [*command, "example_project.wsgi:application"], env=self.env, cwd=ROOT, start_new_session=True
        )
        for _ in range(300):
            try:
                if requests.get(self.base + "/cas/login", timeout=30).status_code == 200 and self.workers() == WORKERS:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer")

    def workers(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return len(children.read_text().split()) if children.exists() else 0

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(30)

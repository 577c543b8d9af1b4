"""Private Redis and PostgreSQL servers, started on free loopback ports for outage tests.

Outage tests stop, kill and restart these, never the machine's shared services: a Redis
(``redis-server``, no persistence) and a PostgreSQL cluster (``initdb`` into a temporary
directory, trust authentication, run as user ``postgres`` when started by root).
``unavailable()`` names the missing tool, for a skip reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not happen within {seconds} s")
        time.sleep(0.05)


def postgres_bin(name: str) -> str | None:
    """A PostgreSQL server tool (``initdb``, ``pg_ctl``): Debian keeps them off the PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def unavailable(*tools: str) -> str | None:
    """Why these tools (``redis``, ``postgres``, ``haproxy``) cannot run here, or None."""
    for tool in tools:
        if tool == "redis" and not shutil.which("redis-server"):
            return "needs redis-server (Debian package redis-server)"
        if tool == "postgres" and not (postgres_bin("initdb") and postgres_bin("pg_ctl")):
            return "needs PostgreSQL's initdb and pg_ctl (Debian package postgresql)"
        if tool == "postgres" and os.geteuid() == 0 and not shutil.which("runuser"):
            return "needs runuser to run PostgreSQL as user postgres"
        if tool == "haproxy" and not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()):
            return "needs haproxy (apt-get install haproxy)"
    return None


class PrivateRedis:
    """A Redis of our own: ``start()``, ``kill()`` (SIGKILL, as a crash), ``start()`` again."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="educonnect-redis-")
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> PrivateRedis:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", self.dir, "--logfile", os.path.join(self.dir, "redis.log")]
        self.process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL)
        _wait(lambda: listening(self.port), 10, f"redis-server on {self.port}")
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        _wait(lambda: not listening(self.port), 10, "redis-server stop")

    def stop(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivatePostgres:
    """A PostgreSQL cluster of our own in a temporary directory (trust auth, loopback only)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="educonnect-pg-")
        self.data = os.path.join(self.dir, "data")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, tool: str, *args: str) -> None:
        command = [postgres_bin(tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.dir)

    def _ctl(self, action: str, *args: str) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        log = os.path.join(self.dir, "postgres.log")
        self._run("pg_ctl", action, "-D", self.data, "-w", "-t", "60", "-l", log, "-o", options, *args)

    def start(self) -> PrivatePostgres:
        if not os.path.exists(self.data):
            self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self._ctl("start")
        return self

    def restart(self) -> None:
        """A fast restart: every connection is cut, as when the server or its host restarts."""
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self._ctl("stop", "-m", "immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

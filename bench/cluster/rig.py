"""The two-node rig: gunicorn app servers of the example project behind HAProxy.

``Rig(database_url, redis)``: ``prepare()`` migrates the database and writes the load-test
fixtures (``bench.load.fixtures``), ``start()`` runs one gunicorn per node on its own port
(:mod:`bench.cluster.settings`) and HAProxy in front of them (round robin, no sticky
sessions, a failed connection retried on the other node; a second frontend with node ``a``
alone), ``kill(name)`` ends a node with SIGKILL, as a crashed machine. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from bench.cluster.services import PrivateRedis, _wait, free_port, listening

ROOT = Path(__file__).resolve().parents[2]
HAPROXY = """global
    maxconn 1024
defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    retries 3
    option redispatch 1
frontend cas
    bind 127.0.0.1:{port}
    default_backend nodes
backend nodes
    balance roundrobin
    http-response set-header X-Node %s
{servers}
frontend single
    bind 127.0.0.1:{single_port}
    default_backend one
backend one
    http-response set-header X-Node %s
{first}
"""


def haproxy_path() -> str:
    return shutil.which("haproxy") or "/usr/sbin/haproxy"


class Node:
    """One app server: gunicorn with ``workers`` sync workers on its own port."""

    def __init__(self, name: str, env: dict[str, str], workers: int) -> None:
        self.name, self.env, self.workers, self.port = name, env, workers, free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "--log-level", "critical"]
        self.process = subprocess.Popen(
            [*command, "example_project.wsgi:application"], env=self.env, cwd=ROOT, start_new_session=True
        )

    def wait(self) -> None:
        for _ in range(600):
            try:
                if requests.get(self.base + "/cas/login", timeout=30).status_code == 200 and self.ready():
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"node {self.name}: gunicorn exited with {self.process.returncode}")
            time.sleep(0.1)
        raise RuntimeError(f"node {self.name}: gunicorn did not answer")

    def ready(self) -> bool:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return children.exists() and len(children.read_text().split()) == self.workers

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(30)


class Rig:
    """Nodes ``a`` and ``b`` (or just ``a``) on one database and one Redis, behind HAProxy."""

    def __init__(self, database_url: str, redis: PrivateRedis, nodes: int = 2, workers: int = 2) -> None:
        self.database_url, self.redis = database_url, redis
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis.url(),
            "DJANGO_SETTINGS_MODULE": "bench.cluster.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_project")]),
            "DEBUG": "0",
            "BENCH_CACHE_PREFIX": f"educonnect-cluster-{uuid.uuid4().hex[:8]}",
        }
        self.nodes = {name: Node(name, self.env, workers) for name in "ab"[:nodes]}
        self.port, self.single_port = free_port(), free_port()
        self.dir = tempfile.mkdtemp(prefix="educonnect-haproxy-")
        self.haproxy: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        """The balancer's address: what clients use."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def single_base(self) -> str:
        """The balancer with node ``a`` alone behind it: the one-node figures."""
        return f"http://127.0.0.1:{self.single_port}"

    def manage(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """A management command run on this rig's settings (as on any node's machine)."""
        command = [sys.executable, str(ROOT / "example_project" / "manage.py"), *args]
        return subprocess.run(command, env=self.env, cwd=ROOT, check=True, **kwargs)

    def prepare(self, users: int) -> Rig:
        self.manage("migrate", "-v0")
        fixtures = [sys.executable, "-m", "bench.load.fixtures", str(users)]
        subprocess.run(fixtures, env=self.env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        return self

    def start(self) -> Rig:
        for node in self.nodes.values():
            node.start()
        for node in self.nodes.values():
            node.wait()
        servers = "\n".join(
            f"    server {n.name} 127.0.0.1:{n.port} check inter 300 fall 1 rise 2" for n in self.nodes.values()
        )
        config = Path(self.dir, "haproxy.cfg")
        first = servers.splitlines()[0]
        config.write_text(HAPROXY.format(port=self.port, servers=servers, single_port=self.single_port, first=first))
        self.haproxy = subprocess.Popen([haproxy_path(), "-db", "-f", str(config)], start_new_session=True)
        _wait(lambda: listening(self.port), 10, "haproxy")
        return self

    def kill(self, name: str) -> None:
        self.nodes[name].kill()

    def stop(self) -> None:
        if self.haproxy is not None and self.haproxy.poll() is None:
            self.haproxy.terminate()
            self.haproxy.wait(30)
        for node in self.nodes.values():
            node.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

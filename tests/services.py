"""Whether the services some tests need are up on this machine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def redis_up(host: str = "127.0.0.1", port: int = 6379) -> bool:
    """True when a Redis server answers on ``host:port``."""
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        return True
    except OSError:
        return False


def run_django(code: str, settings_module: str, *paths, check: bool = False) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python process with ``settings_module``; ``paths`` go first on the path."""
    env = {
        "PYTHONPATH": os.pathsep.join([*(str(p) for p in paths), str(ROOT), str(ROOT / "example_project")]),
        "DJANGO_SETTINGS_MODULE": settings_module,
    }
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=check)

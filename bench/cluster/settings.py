"""Settings of one app server of the two-node rig: the load-test settings behind a balancer.

``REDIS_URL`` is the rig's own Redis and ``DATABASE_URL`` its database (``bench/cluster/rig.py``
sets both). The rig's clients play the TLS proxy: they write X-Forwarded-For, which HAProxy
passes on, so the throttles see one address per client. The ServicePatterns are kept an hour
in each process: only the version shared through Redis makes a node see another's change.
"""

from __future__ import annotations

import os

from bench.load.settings import *  # noqa: F403
from cas_educonnect.core.connections import pooled

CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES = 1
CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES = {"login_identifier_ip": 1, "birth_date": 0}
CAS_EDUCONNECT_SERVICE_PATTERN_CACHE_SECONDS = 3600
LOGGING["root"]["level"] = "CRITICAL"  # noqa: F405 (the outages would fill the terminal)
# As settings_production: psycopg's pool, which waits for a connection while PostgreSQL
# restarts instead of failing the request (CLUSTER_DB_POOL=0: persistent connections, as the
# load-test settings).
if os.environ.get("CLUSTER_DB_POOL", "1") == "1":
    DATABASES["default"] = pooled(DATABASES["default"])  # noqa: F405

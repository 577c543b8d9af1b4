"""Settings of one app server of the two-node rig: the load-test settings behind a balancer.

``REDIS_URL`` is the rig's own Redis and ``DATABASE_URL`` its database (``bench/cluster/rig.py``
sets both). The rig's clients play the TLS proxy: they write X-Forwarded-For, which HAProxy
passes on, so the throttles see one address per client. The ServicePatterns are kept an hour
in each process: only the version shared through Redis makes a node see another's change.
"""

from __future__ import annotations

import os

from bench.load.settings import *  # noqa: F403

CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES = 1
CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES = {"login_identifier_ip": 1, "birth_date": 0}
CAS_EDUCONNECT_SERVICE_PATTERN_CACHE_SECONDS = 3600
LOGGING["root"]["level"] = "CRITICAL"  # noqa: F405 (the outages would fill the terminal)
if os.environ.get("CLUSTER_DB_POOL", "1") == "1":
    # As settings_production: psycopg's pool, which waits for a connection while PostgreSQL
    # restarts instead of failing the request (CLUSTER_DB_POOL=0: persistent connections).
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 (pooling replaces persistent connections)
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        **DATABASES["default"].get("OPTIONS", {}),  # noqa: F405
        "pool": {"min_size": 1, "max_size": 2, "timeout": 10},
    }

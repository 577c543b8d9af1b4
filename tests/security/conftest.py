"""Fixtures of the security suite: a registered service and an active account (host fixtures reused)."""

from tests.host.conftest import PASSWORD as PASSWORD_FIXTURE  # noqa: F401
from tests.host.conftest import SERVICE, active_account, login, service_pattern  # noqa: F401

"""Legacy route fixtures (shared with tests/portal)."""

from tests.legacy.fixtures import demo_service, legacy_factory  # noqa: F401

"""The package's Django admin: autodiscovery imports this package, which imports its parts."""

from . import services  # noqa: F401
